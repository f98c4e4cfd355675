/** Grey rows where the contact list is about to appear; still under reduced motion. */
export function ListSkeleton({ label = 'Loading your contacts…' }: { label?: string }) {
  return (
    <div className="list-skeleton" role="status" aria-label={label}>
      {[0, 1, 2, 3, 4, 5].map((row) => (
        <div key={row} className="skeleton-row" />
      ))}
    </div>
  );
}
