/**
 * The port through which the simulation plays remote agents: the strategy
 * of the remote agent a spec names. The simulation only asks for it
 * (`prepare(..., { transport })`, a batch's or a tournament's connection);
 * `src/remote/` implements it over a connection to the agents
 * (`remote/Player.ts`), so the simulation knows neither the agents' protocol
 * nor NATS. Without one, a remote agent is refused with the reason.
 *
 * @since 0.4.0
 */
import type { AsyncPlayer, Strategy } from "./Strategy.ts"
import type { RemoteSpec } from "./strategies/Spec.ts"

/** How a run reaches its remote agents: each one's strategy, made from its spec. */
export interface RemoteAgents {
  /** The strategy of the remote agent `spec` names, with its fallback (`spec.fallback`). */
  readonly strategy: (spec: RemoteSpec) => Strategy<AsyncPlayer>
}
