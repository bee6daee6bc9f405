/**
 * Writes `examples/supply-contract.jsonl`, the small example log shipped with
 * parley: a bilateral contract negotiation with a mediator, a reported offer
 * later confirmed, counter-offers, acceptance and ratification, under a
 * deadline and a round limit (so the log shows `NegotiationOpened` version 2).
 *
 *     node --import tsx scripts/example-log.ts
 */
import { rmSync } from "node:fs"
import { Effect } from "effect"
import { handle } from "../src/app/CommandHandler.ts"
import type { NegotiationCommand } from "../src/domain/Command.ts"
import type { Instant } from "../src/domain/Event.ts"
import type { NegotiationId } from "../src/domain/Ids.ts"
import * as File from "../src/store/File.ts"

const path = "examples/supply-contract.jsonl"
const id = "supply-2025" as NegotiationId
const at = (s: string) => `2025-03-${s}:00.000Z` as Instant
const reported = {
  status: "reported",
  sources: [
    { reportedBy: "Trade Weekly", where: "industry newsletter", reportedAt: at("04T08:00") },
  ],
} as const

const commands: ReadonlyArray<unknown> = [
  {
    type: "OpenNegotiation",
    at: at("03T09:00"),
    negotiationId: id,
    title: "Component supply contract, 2025-2027",
    parties: [
      { id: "acme", name: "Acme Components", role: "principal" },
      { id: "globex", name: "Globex Assembly", role: "principal" },
      { id: "chamber", name: "Chamber of Commerce", role: "mediator" },
    ],
    issues: [
      { kind: "integer", id: "price", label: "Unit price (EUR cents)", min: 80, max: 140 },
      { kind: "discrete", id: "term", options: ["1y", "2y", "3y"] },
      { kind: "discrete", id: "delivery", options: ["weekly", "monthly"] },
    ],
    rules: {
      mustAccept: ["acme", "globex"],
      mustRatify: ["acme", "globex"],
      deadline: at("31T00:00"),
      maxRounds: 10,
      partialAgreements: false,
    },
  },
  { type: "StatePosition", at: at("03T10:00"), by: "acme", demands: { price: 130, term: "3y" } },
  { type: "StatePosition", at: at("03T10:30"), by: "globex", demands: { price: 90 } },
  {
    type: "MakeOffer",
    at: at("03T15:00"),
    offerId: "acme-1",
    by: "acme",
    terms: { price: 128, term: "3y", delivery: "monthly" },
    provenance: reported,
  },
  { type: "ConfirmOffer", at: at("04T11:00"), offerId: "acme-1", by: "acme" },
  {
    type: "RejectOffer",
    at: at("05T09:00"),
    offerId: "acme-1",
    by: "globex",
    reason: "price too high",
  },
  {
    type: "MakeOffer",
    at: at("05T09:05"),
    offerId: "globex-1",
    by: "globex",
    terms: { price: 95, term: "2y", delivery: "weekly" },
    inReplyTo: "acme-1",
  },
  {
    type: "MakeOffer",
    at: at("06T14:00"),
    offerId: "chamber-1",
    by: "chamber",
    to: ["acme", "globex"],
    terms: { price: 112, term: "2y", delivery: "weekly" },
  },
  { type: "AcceptOffer", at: at("07T10:00"), offerId: "chamber-1", by: "globex" },
  { type: "AcceptOffer", at: at("07T16:00"), offerId: "chamber-1", by: "acme" },
  { type: "RatifyAgreement", at: at("10T12:00"), offerId: "chamber-1", by: "globex" },
  { type: "RatifyAgreement", at: at("11T12:00"), offerId: "chamber-1", by: "acme" },
]

rmSync(path, { force: true })
const program = Effect.forEach(commands, (command) =>
  handle(id, command as NegotiationCommand, { metadata: { source: "example" } }),
).pipe(Effect.provide(File.layer(path)))

await Effect.runPromise(program)
console.log(`wrote ${path}`)
