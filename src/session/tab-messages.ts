// What this tab does with the other tabs' messages: answer a new tab's `hello` with the
// session, adopt a newer session, show that the session ended, forget it on sign-out.
import type { SessionCore } from './session-core.ts';
import type { TabMessage } from './tab-channel.ts';

export async function onTabMessage(
  core: SessionCore,
  message: TabMessage,
  signedOutElsewhere: () => void,
): Promise<void> {
  const { tokens } = core.deps;
  switch (message.type) {
    case 'hello': {
      if (core.generation === 0 || core.state.over) return;
      const user = await tokens.serialize();
      if (user) core.announce(user);
      return;
    }
    case 'session':
      if (message.generation <= core.generation) return;
      await tokens.adopt(message.user);
      core.generation = message.generation;
      core.accept(message.lifetimeMs, message.expiresInMs);
      core.log('adopted', `generation ${message.generation}`);
      return;
    case 'ended':
      core.endedElsewhere(message.reason);
      if (message.forget) await tokens.forget();
      return;
    case 'signed-out':
      core.clear('signed-out elsewhere');
      await tokens.forget();
      signedOutElsewhere();
  }
}
