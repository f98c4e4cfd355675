// Faults armed through the test controls, each for a user and/or client and for the next N
// matching requests. Taking a fault counts it down; at zero it is gone by itself.
import type {
  AuthorizationResponseFaultSpec,
  FaultTarget,
  IdTokenFaultSpec,
  TokenEndpointFaultSpec,
} from './fault-kinds.ts';

interface Specs {
  'token-endpoint': TokenEndpointFaultSpec;
  'id-token': IdTokenFaultSpec;
  'authorization-response': AuthorizationResponseFaultSpec;
}
export type FaultGroup = keyof Specs;

interface Armed<G extends FaultGroup> {
  group: G;
  target: FaultTarget;
  spec: Specs[G];
  remaining: number;
}

/** The request a fault might apply to: whose it is, as far as the IdP can tell. */
export interface Requester {
  user?: string | undefined;
  client?: string | undefined;
}

const matches = (target: FaultTarget, who: Requester) =>
  (target.user === undefined || target.user === who.user) &&
  (target.client === undefined || target.client === who.client);

export class FaultBook {
  #armed: Armed<FaultGroup>[] = [];

  arm<G extends FaultGroup>(group: G, target: FaultTarget, spec: Specs[G], times: number): void {
    if (target.user === undefined && target.client === undefined) {
      throw new Error('a fault needs a target: user, client or both');
    }
    this.#armed.push({ group, target, spec, remaining: times });
  }

  /** Whether any fault of the group is armed at all (lets the hot path skip work). */
  any(group: FaultGroup): boolean {
    return this.#armed.some((armed) => armed.group === group);
  }

  /** The first armed fault for this requester that `accept`s, counted down by one. */
  take<G extends FaultGroup>(
    group: G,
    who: Requester,
    accept: (spec: Specs[G]) => boolean = () => true,
  ): Specs[G] | undefined {
    const found = this.#armed.find(
      (armed): armed is Armed<G> =>
        armed.group === group && matches(armed.target, who) && accept(armed.spec as Specs[G]),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.#armed = this.#armed.filter((armed) => armed !== found);
    return found.spec;
  }

  /** Faults still armed for a user (all of them without one). */
  list(
    user?: string,
  ): { group: FaultGroup; target: FaultTarget; kind: string; remaining: number }[] {
    return this.#armed
      .filter((armed) => user === undefined || armed.target.user === user)
      .map(({ group, target, spec, remaining }) => ({ group, target, kind: spec.kind, remaining }));
  }

  /** Disarms a user's faults, or every fault. */
  clear(user?: string): void {
    this.#armed = user === undefined ? [] : this.#armed.filter((a) => a.target.user !== user);
  }
}
