// The session is over (signed out elsewhere, tokens gone, the DPoP key wiped): only signing
// in again helps. A module of its own: the error screen recognises it without loading the
// auth core (vite.config.ts, chunkGroups).
export class SessionEndedError extends Error {
  readonly code = 'session_ended';
  constructor(message = 'Your session has ended. Sign in again to continue.') {
    super(message);
    this.name = 'SessionEndedError';
  }
}
