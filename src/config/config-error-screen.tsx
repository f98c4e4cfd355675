import { ConfigError } from './app-config.ts';

export function ConfigErrorScreen({ error }: { error: unknown }) {
  const problems = error instanceof ConfigError ? error.problems : [];
  const message = error instanceof ConfigError ? error.message : 'The app could not start.';
  return (
    <main className="shell">
      <section role="alert" aria-labelledby="config-error-title">
        <h1 id="config-error-title">This app is not configured correctly</h1>
        <p>{message} Whoever deployed it needs to fix the configuration file.</p>
        {problems.length > 0 ? (
          <ul aria-label="Configuration problems">
            {problems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </main>
  );
}
