/**
 * The messages of distributed batches besides the work item itself (whose
 * Schema, `WorkItem`, lives with its decoder in `Item.ts`), as Schemas: what
 * a worker publishes for an item (its result, its failure, its claim, a
 * message it set aside), the batch's definition, and the part of the
 * server's max-deliveries advisory the coordinator reads. The AsyncAPI
 * document (`remote/AsyncApi.ts`) generates their payload schemas from these;
 * the types below are checked, at compile time, to be the very shapes the
 * coordinator and the workers exchange (`ItemResult`, `ItemFailure`,
 * `BatchHeader`), so the document cannot drift from the code.
 *
 * @since 0.3.0
 */
import type { MsgHdrs } from "@nats-io/transport-node"
import { Either, type Redacted, Schema } from "effect"
import { deepestIssue } from "../domain/Errors.ts"
import { Terms } from "../domain/Issue.ts"
import type { RunOutcome as RunOutcomeType } from "../simulation/Batch.ts"
import type { NegotiationResult as NegotiationResultType } from "../tournament/Result.ts"
import type { BatchHeader as BatchHeaderType } from "./Coordinator.ts"
import type { ItemFailure as ItemFailureType, ItemResult as ItemResultType } from "./Item.ts"
import { refusal, verify } from "./Sign.ts"

const Index = Schema.Int.pipe(Schema.nonNegative())

/** A party's scores in one run or negotiation (`simulation/Scores.ts`). */
const PartyScore = Schema.Struct({
  utility: Schema.NullOr(Schema.Number).annotations({
    description: "undiscounted utility of the agreement (null without agreement)",
  }),
  discounted: Schema.Number.annotations({
    description: "discounted utility, or the discounted reservation value without agreement",
  }),
  reservation: Schema.Number,
  advantage: Schema.Number.annotations({
    description: "discounted minus the discounted reservation value (0 without agreement)",
  }),
})

/** The outcome of one Monte Carlo run (`simulation/Batch.ts`). */
export const RunOutcome = Schema.Struct({
  run: Index,
  seed: Schema.Number,
  status: Schema.String,
  rounds: Schema.Number,
  events: Schema.Number,
  agreement: Schema.NullOr(Terms),
  utilities: Schema.Record({ key: Schema.String, value: Schema.Number }).annotations({
    description: "per party: the discounted utility (or discounted reservation value)",
  }),
  agreementTime: Schema.NullOr(Schema.Number),
  scores: Schema.Record({ key: Schema.String, value: PartyScore }),
  drawn: Schema.Record({ key: Schema.String, value: Schema.Number }).annotations({
    description: "the values drawn for the scenario's uncertain parameters",
  }),
}).annotations({ identifier: "RunOutcome" })

/** One negotiation of a tournament, scored (`tournament/Result.ts`). */
export const NegotiationResult = Schema.Struct({
  id: Schema.String,
  scenario: Schema.String,
  repetition: Schema.Number,
  seed: Schema.Number,
  assignment: Schema.Record({ key: Schema.String, value: Schema.String }),
  status: Schema.String,
  rounds: Schema.Number,
  agreementTime: Schema.NullOr(Schema.Number),
  agreement: Schema.NullOr(
    Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) }),
  ),
  parties: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ competitor: Schema.String, ...PartyScore.fields }),
  }),
  socialWelfare: Schema.Number,
  distanceToPareto: Schema.NullOr(Schema.Number),
  distanceToNash: Schema.NullOr(Schema.Number),
  distanceToKS: Schema.NullOr(Schema.Number),
  paretoOptimal: Schema.NullOr(Schema.Boolean),
}).annotations({ identifier: "NegotiationResult" })

/** What a worker publishes on `parley.batches.<batch>.result.<item>`. */
export const ItemResult = Schema.Struct({
  batch: Schema.String,
  item: Index,
  worker: Schema.String,
  outcomes: Schema.optional(Schema.Array(RunOutcome)).annotations({
    description: "a Monte Carlo item: the outcomes of its runs",
  }),
  results: Schema.optionalWith(
    Schema.Array(Schema.Struct({ index: Index, result: NegotiationResult })),
    { exact: true },
  ).annotations({ description: "a tournament item: its negotiations' results" }),
}).annotations({ identifier: "ItemResult" })

/** What is published on `parley.batches.<batch>.failed.<item>` when an item fails for good. */
export const ItemFailure = Schema.Struct({
  batch: Schema.String,
  item: Index,
  worker: Schema.String,
  deliveries: Schema.Int,
  error: Schema.String,
}).annotations({ identifier: "ItemFailure" })

/** What a worker publishes on `parley.batches.<batch>.claim.<item>` as it takes an item. */
export const ItemClaim = Schema.Struct({
  worker: Schema.String,
  delivery: Schema.Int.annotations({ description: "the delivery of the item, from 1" }),
  at: Schema.String.annotations({ description: "when (ISO 8601)" }),
}).annotations({ identifier: "ItemClaim" })

/** What the coordinator publishes on `parley.batches.<batch>.def`. */
export const BatchHeader = Schema.Struct({
  batch: Schema.String,
  kind: Schema.Literal("montecarlo", "tournament"),
  title: Schema.String,
  total: Schema.Int.annotations({ description: "runs or negotiations" }),
  items: Schema.Int,
  created: Schema.String.annotations({ description: "when (ISO 8601)" }),
}).annotations({ identifier: "BatchHeader" })

/** What a worker publishes on `parley.batches.malformed` for a work message it cannot read. */
export const MalformedItem = Schema.Struct({
  subject: Schema.String,
  seq: Schema.Number,
  worker: Schema.String,
  problem: Schema.String,
  data: Schema.String.annotations({ description: "its first 500 bytes, as text" }),
}).annotations({ identifier: "MalformedItem" })

/** The fields the coordinator reads of the server's max-deliveries advisory (it carries more). */
export const MaxDeliveriesAdvisory = Schema.Struct({
  stream_seq: Schema.Number.annotations({ description: "the item's sequence in PARLEY_WORK" }),
  deliveries: Schema.Number,
}).annotations({
  identifier: "MaxDeliveriesAdvisory",
  description: "io.nats.jetstream.advisory.v1.max_deliver (the fields parley reads)",
})

/**
 * A message read from the bus that is not what its subject promises (not
 * JSON, or not of its Schema): named by subject, stream sequence and the
 * field at fault, so that whoever sees it can find it and set it aside.
 */
export class MalformedMessage extends Schema.TaggedError<MalformedMessage>()("MalformedMessage", {
  subject: Schema.String,
  seq: Schema.Number.annotations({ description: "its stream sequence (0: a core NATS message)" }),
  field: Schema.String.annotations({
    description: "the field at fault (empty: the whole message)",
  }),
  problem: Schema.String,
  /** Well formed, but unsigned or signed with another key (`Sign.ts`): refused, not malformed. */
  forged: Schema.optional(Schema.Boolean),
}) {
  override get message() {
    const where = this.seq === 0 ? this.subject : `${this.subject} (sequence ${this.seq})`
    return `${this.forged === true ? "refused" : "malformed"} message on ${where}: ${this.field === "" ? "" : `${this.field}: `}${this.problem}`
  }
}

const textDecoder = new TextDecoder()

/**
 * A decoder of the messages of one Schema, compiled once (the coordinator
 * reads every result of a batch through it): the value, or a
 * {@link MalformedMessage} naming where the message came from and its field
 * at fault. `check` adds what the Schema cannot know (that a result's item
 * is the one its subject names, say), as a field and a problem.
 */
export const messageDecoder = <A, I>(
  schema: Schema.Schema<A, I, never>,
  check: (value: A, subject: string) => { field: string; problem: string } | undefined = () =>
    undefined,
) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (
    subject: string,
    seq: number,
    data: Uint8Array,
    _headers?: MsgHdrs | undefined,
  ): Either.Either<A, MalformedMessage> => {
    let json: unknown
    try {
      json = JSON.parse(textDecoder.decode(data))
    } catch (e) {
      return Either.left(
        new MalformedMessage({
          subject,
          seq,
          field: "",
          problem: `not JSON (${e instanceof Error ? e.message : String(e)})`,
        }),
      )
    }
    const decoded = decode(json)
    if (Either.isLeft(decoded)) {
      const { path, problem } = deepestIssue(decoded.left)
      return Either.left(new MalformedMessage({ subject, seq, field: path, problem }))
    }
    const wrong = check(decoded.right, subject)
    return wrong === undefined
      ? Either.right(decoded.right)
      : Either.left(new MalformedMessage({ subject, seq, ...wrong }))
  }
}

/**
 * A decoder that also checks the message's signature under `key`
 * (`Sign.ts`): a well-formed message that is unsigned or forged is refused
 * (a {@link MalformedMessage} marked `forged`), naming the sender it claims.
 */
export const signedDecoder =
  <A>(
    key: Redacted.Redacted<string>,
    decode: (subject: string, seq: number, data: Uint8Array) => Either.Either<A, MalformedMessage>,
    sender: (value: A) => string,
  ) =>
  (
    subject: string,
    seq: number,
    data: Uint8Array,
    headers?: MsgHdrs | undefined,
  ): Either.Either<A, MalformedMessage> =>
    Either.flatMap(decode(subject, seq, data), (value) => {
      const verdict = verify(key, subject, data, headers)
      return verdict === "signed"
        ? Either.right(value)
        : Either.left(
            new MalformedMessage({
              subject,
              seq,
              field: "",
              problem: refusal(verdict, sender(value)),
              forged: true,
            }),
          )
    })

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Holds<T extends true> = T

/** Compile-time: each Schema's type and the type the code exchanges are assignable both ways. */
export type ShapesAgree = [
  Holds<Mutual<typeof RunOutcome.Type, RunOutcomeType>>,
  Holds<Mutual<typeof NegotiationResult.Type, NegotiationResultType>>,
  Holds<Mutual<typeof ItemResult.Type, ItemResultType>>,
  Holds<Mutual<typeof ItemFailure.Type, ItemFailureType>>,
  Holds<Mutual<typeof BatchHeader.Type, BatchHeaderType>>,
]
