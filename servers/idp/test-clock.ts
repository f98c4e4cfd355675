// The IdP's clock, shiftable in test mode. oidc-provider reads time only through Date.now()
// (helpers/epoch_time.js, token iat/exp, session and state-file expiry), so shifting that one
// function shifts everything the IdP decides, and nothing outside this process.
// IMPORTANT: global to the process; installed only when test mode is on.
const realNow = Date.now.bind(Date);
let offsetMs = 0;

export function shiftClock(seconds: number): void {
  if (!Number.isFinite(seconds)) throw new Error('seconds must be a number');
  offsetMs = Math.round(seconds * 1000);
  Date.now = offsetMs === 0 ? realNow : () => realNow() + offsetMs;
}

export function clockShiftSeconds(): number {
  return offsetMs / 1000;
}
