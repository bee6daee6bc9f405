/**
 * The signatures of distributed batches: every message the coordinator and
 * the workers publish on the work and batch streams (items, results,
 * failures, claims, definitions) carries, in the header
 * {@link SIGNATURE_HEADER}, an HMAC-SHA256 of its subject and its bytes under
 * the deployment's work key (`PARLEY_WORK_KEY`, read as a `Redacted` through
 * Effect's `Config`). A party on the bus without the key cannot make an item
 * a worker plays or a record the coordinator counts: an unsigned or forged
 * message is refused and reported, naming the sender it claims.
 *
 * The subject is signed with the bytes, so a genuine record cannot be passed
 * off as another item's or another batch's (both are in the subject). A
 * replayed genuine message is harmless: items are idempotent (the batch id
 * derives from the definition, one result counts per item).
 *
 * The key is required, never generated: the workers are long-lived and serve
 * every batch, so a key made up by one coordinator could reach them only by
 * the operator's hand anyway, and a default without a key would leave the
 * probe of issue 25 (anyone on the bus forges a batch's results) open by
 * default. A coordinator or a worker started without it stops at once,
 * saying how to make one.
 *
 * @since 0.5.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node"
import { Config, Effect, Option, Redacted, Schema } from "effect"

/** The environment variable (through `Config`) holding the work key. */
export const WORK_KEY_VARIABLE = "PARLEY_WORK_KEY"

/** The shortest key accepted, in characters (a 32-hex-digit key carries 128 bits). */
export const MIN_KEY_LENGTH = 32

/** The header that carries a message's signature (hex). */
export const SIGNATURE_HEADER = "Parley-Signature"

/** The work key is missing or too short to be a secret. */
export class WorkKeyInvalid extends Schema.TaggedError<WorkKeyInvalid>()("WorkKeyInvalid", {
  problem: Schema.String,
}) {
  override get message() {
    return `${WORK_KEY_VARIABLE} ${this.problem}: distributed batches sign their items and results with it; give the coordinator and every worker the same secret of at least ${MIN_KEY_LENGTH} characters (for example the output of \`openssl rand -hex 32\`)`
  }
}

/** The deployment's work key, from `PARLEY_WORK_KEY`. */
export const workKey: Effect.Effect<Redacted.Redacted<string>, WorkKeyInvalid> = Effect.gen(
  function* () {
    const key = yield* Config.option(Config.redacted(WORK_KEY_VARIABLE)).pipe(
      Effect.mapError(() => new WorkKeyInvalid({ problem: "cannot be read from the environment" })),
    )
    if (Option.isNone(key)) return yield* new WorkKeyInvalid({ problem: "is not set" })
    const length = Redacted.value(key.value).length
    if (length < MIN_KEY_LENGTH)
      return yield* new WorkKeyInvalid({ problem: `is ${length} characters long` })
    return key.value
  },
)

const encoder = new TextEncoder()

/** The signature of `data` published on `subject`. */
export const signature = (
  key: Redacted.Redacted<string>,
  subject: string,
  data: Uint8Array,
): Buffer =>
  createHmac("sha256", Redacted.value(key))
    .update(encoder.encode(subject))
    .update(new Uint8Array([0]))
    .update(data)
    .digest()

/** The headers that sign `data` for `subject`. */
export const signedHeaders = (
  key: Redacted.Redacted<string>,
  subject: string,
  data: Uint8Array,
): MsgHdrs => {
  const h = natsHeaders()
  h.set(SIGNATURE_HEADER, signature(key, subject, data).toString("hex"))
  return h
}

/** What a message's signature says. */
export type Verdict = "signed" | "unsigned" | "forged"

/** Whether `data`, read from `subject` with `headers`, was signed with `key`. */
export const verify = (
  key: Redacted.Redacted<string>,
  subject: string,
  data: Uint8Array,
  headers: MsgHdrs | undefined,
): Verdict => {
  const given = headers?.get(SIGNATURE_HEADER) ?? ""
  if (given === "") return "unsigned"
  const expected = signature(key, subject, data)
  const got = Buffer.from(given, "hex")
  return got.length === expected.length && timingSafeEqual(got, expected) ? "signed" : "forged"
}

/** Why a message is refused, in words, naming who it says it comes from. */
export const refusal = (verdict: Exclude<Verdict, "signed">, sender: string): string =>
  verdict === "unsigned"
    ? `no signature (${SIGNATURE_HEADER}); refused, it says it comes from ${sender}`
    : `its signature does not match its content under ${WORK_KEY_VARIABLE}; refused as forged, it says it comes from ${sender}`
