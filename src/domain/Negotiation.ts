/**
 * The negotiation decider: `initialState`, `decide(command, state)` and
 * `evolve(state, envelope)`, the public face of `./negotiation/`:
 *
 * - `State.ts`: the state of one negotiation and the questions asked of it;
 * - `Events.ts`: every event type in one table: what it needs of the state
 *   and what it does to it (a new event type is one entry there);
 * - `Rules.ts`: whether an event may happen in a state ({@link check}, and
 *   the structure of a history alone, {@link checkStructure}): what every
 *   event needs, then its entry's check; `Problems.ts` holds the questions
 *   the checks are made of;
 * - `Apply.ts`: applying events, and the ways to fold stored events in:
 *   {@link evolve} (one event), {@link Folding} (a whole log, in place; the
 *   projection's engine) and {@link applyDecided} (an event just decided);
 *   `Draft.ts` holds the in-place changes the entries are made of;
 * - `Decide.ts`: the event a command asks for, checked ({@link decide},
 *   {@link decideEvent}).
 *
 * The fold entry points are two: these (one event at a time, or one
 * {@link Folding} per negotiation) and the projection (`src/app/Projection.ts`),
 * which every reader of a log goes through.
 *
 * @since 0.1.0
 */
export { applyDecided, evolve, Folding } from "./negotiation/Apply.ts"
export { decide, decideEvent, decider } from "./negotiation/Decide.ts"
export { check, checkStructure, isRejection } from "./negotiation/Rules.ts"
export {
  type Agreement,
  findOffer,
  findParty,
  initialState,
  isTerminal,
  type Offer,
  type OfferStatus,
  offersInOrder,
  officiallyAcceptedBy,
  type PartialAgreement,
  type PartyState,
  type Position,
  type Response,
  type State,
  type Status,
} from "./negotiation/State.ts"
