/**
 * The AsyncAPI 3.0 document of every subject parley uses on NATS: the event
 * log's commits, the state feed (states, summary, problems), the KV buckets
 * seen as their `$KV` subjects, remote agents' turns and replies, and the
 * work queue of distributed batches (`parley.work.*`, `parley.batches.*` and
 * the max-deliveries advisory; see `distributed/Queue.ts`), every address
 * and name from the one layout (`nats/Layout.ts`). Every
 * payload schema is generated from the Schemas the code validates with — the
 * ones `parley schema events|state|turn|move` print — so the document cannot
 * drift from the code; `docs/asyncapi.yaml` is this document
 * (`parley schema asyncapi`), and a test keeps the two equal and has the
 * official parser validate it.
 *
 * @since 0.3.0
 */
import { JSONSchema, type Schema } from "effect"
import { stringify } from "yaml"
import { WorkItem } from "../distributed/Item.ts"
import {
  BatchHeader,
  ItemClaim,
  ItemFailure,
  ItemResult,
  MalformedItem,
  MaxDeliveriesAdvisory,
} from "../distributed/Messages.ts"
import { MAX_MALFORMED } from "../distributed/Queue.ts"
import { EventEnvelope } from "../domain/Event.ts"
import { FeedProblem } from "../feed/Problems.ts"
import { StateView, Summary } from "../feed/StateSchema.ts"
import { OFFERS_SHOWN } from "../feed/Window.ts"
import {
  agentSubject,
  batchSubject,
  batchSubjects,
  CHECKPOINT_KEY,
  eventSubject,
  eventSubjects,
  layoutFor,
  malformedSubject,
  maxDeliveriesAdvisory,
  problemsSubject,
  SUMMARY_KEY,
  stateSubject,
  summarySubject,
  workSubject,
  workSubjects,
} from "../nats/Layout.ts"
import { AgentMove, AgentRatification, AgentTurn } from "./Protocol.ts"

type Json = Record<string, unknown>

/** The JSON Schema of `schema` with its definitions moved into `defs` and references pointed there. */
const schemaOf = (schema: Schema.Schema.Any, defs: Json): Json => {
  const made = JSONSchema.make(schema) as unknown as Json
  const retarget = (u: unknown): unknown =>
    Array.isArray(u)
      ? u.map(retarget)
      : typeof u === "object" && u !== null
        ? Object.fromEntries(
            Object.entries(u).map(([k, v]) => [
              k,
              k === "$ref" && typeof v === "string"
                ? v.replace("#/$defs/", "#/components/schemas/")
                : retarget(v),
            ]),
          )
        : u
  const { $schema: _, $defs, ...rest } = made
  for (const [name, def] of Object.entries(($defs ?? {}) as Json)) defs[name] = retarget(def)
  return retarget(rest) as Json
}

const ref = (to: string) => ({ $ref: to })

/** The AsyncAPI document for the subject prefix `prefix` (default `parley`). */
export const asyncApiDocument = (prefix?: string): Json => {
  const layout = layoutFor(prefix)
  const { workStream, batchStream, workersConsumer } = layout
  const schemas: Json = {}
  const payload = (name: string, schema: Schema.Schema.Any) => {
    const s = schemaOf(schema, schemas)
    if (!("$ref" in s)) schemas[name] = s
    return "$ref" in s ? s : ref(`#/components/schemas/${name}`)
  }
  const commit = { type: "array", items: payload("EventEnvelope", EventEnvelope), minItems: 1 }
  const state = payload("StateView", StateView)
  const summary = payload("Summary", Summary)
  const problem = payload("FeedProblem", FeedProblem)
  const turn = payload("AgentTurn", AgentTurn)
  const move = payload("AgentMove", AgentMove)
  const ratification = payload("AgentRatification", AgentRatification)
  const workItem = payload("WorkItem", WorkItem)
  const itemResult = payload("ItemResult", ItemResult)
  const itemFailure = payload("ItemFailure", ItemFailure)
  const itemClaim = payload("ItemClaim", ItemClaim)
  const batchHeader = payload("BatchHeader", BatchHeader)
  const malformed = payload("MalformedItem", MalformedItem)
  const advisory = payload("MaxDeliveriesAdvisory", MaxDeliveriesAdvisory)
  const batchItem = {
    batch: { description: "a batch id: mc- (Monte Carlo) or tn- (tournament) and 20 hex digits" },
    item: { description: "the item's number in its batch, from 0" },
  }
  const batchOnly = { batch: batchItem.batch }
  const negotiationId = {
    negotiationId: {
      description: "a negotiation id: letters, digits, _ and - (never a wildcard)",
    },
  }
  const message = (name: string, title: string, summaryText: string, body: unknown) => ({
    name,
    title,
    summary: summaryText,
    contentType: "application/json",
    payload: body,
  })
  return {
    asyncapi: "3.0.0",
    info: {
      title: "parley on NATS",
      version: "0.3.0",
      description:
        "Every subject parley uses: the event log (JetStream), the state feed the projector publishes, its KV buckets, the turns of remote agents, and the work queue of distributed batches. The subject prefix is `parley` unless PARLEY_NATS_PREFIX changes it; payloads are JSON, their schemas generated from the Schemas parley validates with (`parley schema events|state|turn|move`).",
    },
    defaultContentType: "application/json",
    servers: {
      local: {
        host: "127.0.0.1:4222",
        protocol: "nats",
        description: "a local nats-server with JetStream (nats-server -js)",
      },
    },
    channels: {
      events: {
        address: eventSubject(layout, "{negotiationId}"),
        title: "Event log",
        description: `One negotiation's commits in the JetStream stream ${layout.eventStream} (capturing ${eventSubjects(layout)}): each message is one append, a JSON array of the event envelopes it wrote, all-or-nothing.`,
        parameters: negotiationId,
        messages: { commit: message("Commit", "A commit", "the envelopes of one append", commit) },
      },
      state: {
        address: stateSubject(layout, "{negotiationId}"),
        title: "States of a negotiation",
        description: `Every state of one negotiation, one message per event, in version order (published by parley project); drop a state whose version is not above the last one kept. A state never exceeds the server's max_payload: a negotiation of more than ${OFFERS_SHOWN} offers lists its latest ${OFFERS_SHOWN} (and any older one it still names, pending or accepted), with "window" counting every offer made, shown and omitted, by status and by party; fewer when even that would not fit. The omitted offers are in the event log ("parley replay <negotiationId> --json"). A state that fits in no message is reported on the problems subject (StateTooLarge), not published.`,
        parameters: negotiationId,
        messages: {
          state: message("State", "A state", "the derived state after one event", state),
        },
      },
      stateSummary: {
        address: summarySubject(layout),
        title: "Summary",
        description: "Every negotiation the projector knows, with its status and version.",
        messages: { summary: message("Summary", "The summary", "every negotiation", summary) },
      },
      stateProblems: {
        address: problemsSubject(layout),
        title: "Problems",
        description:
          "What the projector set aside, one JSON object each, tagged by kind, with the stream sequence it concerns: a commit it cannot read (CorruptCommit, also one that makes decoding throw), an impossible event and the later events of its negotiation (ImpossibleEvent, AfterInvalid), a negotiation whose fold failed (FoldFailed: set aside at its last good state), a state too large for any message (StateTooLarge), a checkpoint past the end of the stream or from another incarnation of it (CheckpointRejected: the projector rebuilds from the start). Every other negotiation goes on.",
        messages: {
          problem: message("Problem", "A problem", "something the projector set aside", problem),
        },
      },
      stateBucket: {
        address: `$KV.${layout.stateBucket}.{negotiationId}`,
        title: "KV bucket of the latest states",
        description: `The KV bucket ${layout.stateBucket}: the latest state per negotiation id (read it with a KV get or watch).`,
        parameters: negotiationId,
        messages: { state: message("LatestState", "The latest state", "a KV value", state) },
      },
      projectionBucket: {
        address: `$KV.${layout.projectionBucket}.${SUMMARY_KEY}`,
        title: "KV bucket of the projection: summary",
        description: `Key ${SUMMARY_KEY} of the KV bucket ${layout.projectionBucket} (its key ${CHECKPOINT_KEY} is the projector's own).`,
        messages: {
          summary: message("StoredSummary", "The stored summary", "a KV value", summary),
        },
      },
      agentTurn: {
        address: "{agentSubject}",
        title: "A remote agent's turns",
        description: `The subject a remote agent answers on (a party's { kind: remote, subject } strategy; parley agent serve uses ${agentSubject(layout, "<name>")}). Each request is a turn; the reply is the move (or the ratification the turn asks for).`,
        parameters: {
          agentSubject: {
            description: `the agent's subject, e.g. ${agentSubject(layout, "buyer-bot")}`,
          },
        },
        messages: { turn: message("Turn", "A turn", "what the party sees on its turn", turn) },
      },
      agentReply: {
        address: null,
        title: "A remote agent's reply",
        description: "The reply to a turn, on the request's reply subject (an inbox).",
        messages: {
          move: message("Move", "A move", "accept, offer, reject or walk out", move),
          ratification: message(
            "Ratification",
            "A ratification",
            "whether it ratifies the accepted offer",
            ratification,
          ),
        },
      },
      work: {
        address: workSubject(layout, "{batch}", "{item}"),
        title: "Work items of distributed batches",
        description: `The work-queue stream ${workStream} (capturing ${workSubjects(layout)}): one message per item, a contiguous range of a batch's runs or of a tournament's plan, published with the message id <batch>.<item>. Workers (parley worker) share the durable pull consumer ${workersConsumer} (explicit acks); an acked item leaves the stream.`,
        parameters: batchItem,
        messages: {
          item: message("WorkItem", "A work item", "a range of a batch to play", workItem),
        },
      },
      batchDefinition: {
        address: batchSubject(layout, "{batch}", "def"),
        title: "A batch's definition",
        description: `In the stream ${batchStream} (capturing ${batchSubjects(layout)}, limits retention): what the batch is, published by the coordinator with the message id <batch>.def.`,
        parameters: batchOnly,
        messages: {
          header: message("BatchHeader", "A batch", "kind, title, runs and items", batchHeader),
        },
      },
      batchResult: {
        address: batchSubject(layout, "{batch}", "result", "{item}"),
        title: "An item's result",
        description: `What a worker played for an item (run outcomes, or negotiation results), published with the message id <batch>.result.<item>.<work sequence> (the item's message in ${workStream}: a retried publish of the same delivery is dropped as a duplicate, the result of an item queued again is not): the coordinator counts one result per item.`,
        parameters: batchItem,
        messages: {
          result: message("ItemResult", "A result", "the outcomes of an item", itemResult),
        },
      },
      batchFailed: {
        address: batchSubject(layout, "{batch}", "failed", "{item}"),
        title: "An item that failed for good",
        description: `After its last delivery failed, when the server reports it ran out of deliveries (both published with the message id <batch>.failed.<item>.<work sequence>), when its last delivery's worker fell silent (<batch>.failed.<item>), or when the coordinator set its result aside as malformed ${MAX_MALFORMED} times (<batch>.failed.<item>.malformed, naming the last problem).`,
        parameters: batchItem,
        messages: {
          failure: message("ItemFailure", "A failure", "why an item failed", itemFailure),
        },
      },
      batchClaim: {
        address: batchSubject(layout, "{batch}", "claim", "{item}"),
        title: "A worker takes an item",
        description:
          "Published by a worker as it starts an item (parley batches shows the last claim of every item without a result).",
        parameters: batchItem,
        messages: { claim: message("ItemClaim", "A claim", "who holds an item", itemClaim) },
      },
      batchMalformed: {
        address: malformedSubject(layout),
        title: "Work messages set aside",
        description:
          "A message on the work subjects that is not a work item, recorded with its first bytes, then acked off the queue.",
        messages: {
          malformed: message("MalformedItem", "A malformed item", "what was set aside", malformed),
        },
      },
      maxDeliveries: {
        address: maxDeliveriesAdvisory(layout),
        title: "Items out of deliveries",
        description:
          "The server's advisory when a work item was delivered as often as the consumer allows without an ack: the coordinator reports the item failed.",
        messages: {
          advisory: message(
            "MaxDeliveriesAdvisory",
            "A max-deliveries advisory",
            "the item's stream sequence and its deliveries",
            advisory,
          ),
        },
      },
    },
    operations: {
      appendCommit: {
        action: "send",
        title: "Append to the event log",
        channel: ref("#/channels/events"),
        messages: [ref("#/channels/events/messages/commit")],
      },
      followEvents: {
        action: "receive",
        title: "Follow the event log",
        channel: ref("#/channels/events"),
        messages: [ref("#/channels/events/messages/commit")],
      },
      followStates: {
        action: "receive",
        title: "Follow a negotiation's states",
        channel: ref("#/channels/state"),
        messages: [ref("#/channels/state/messages/state")],
      },
      followSummary: {
        action: "receive",
        title: "Follow the summary",
        channel: ref("#/channels/stateSummary"),
        messages: [ref("#/channels/stateSummary/messages/summary")],
      },
      followProblems: {
        action: "receive",
        title: "Follow the projector's problems",
        channel: ref("#/channels/stateProblems"),
        messages: [ref("#/channels/stateProblems/messages/problem")],
      },
      watchStateBucket: {
        action: "receive",
        title: "Watch the latest states",
        channel: ref("#/channels/stateBucket"),
        messages: [ref("#/channels/stateBucket/messages/state")],
      },
      watchProjectionBucket: {
        action: "receive",
        title: "Watch the stored summary",
        channel: ref("#/channels/projectionBucket"),
        messages: [ref("#/channels/projectionBucket/messages/summary")],
      },
      queueWork: {
        action: "send",
        title: "Queue a batch's items (the coordinator)",
        channel: ref("#/channels/work"),
        messages: [ref("#/channels/work/messages/item")],
      },
      takeWork: {
        action: "receive",
        title: `Take items through the consumer ${workersConsumer} (a worker)`,
        channel: ref("#/channels/work"),
        messages: [ref("#/channels/work/messages/item")],
      },
      defineBatch: {
        action: "send",
        title: "Define a batch (the coordinator)",
        channel: ref("#/channels/batchDefinition"),
        messages: [ref("#/channels/batchDefinition/messages/header")],
      },
      publishResult: {
        action: "send",
        title: "Publish an item's result (a worker)",
        channel: ref("#/channels/batchResult"),
        messages: [ref("#/channels/batchResult/messages/result")],
      },
      followResults: {
        action: "receive",
        title: "Follow a batch's results (the coordinator)",
        channel: ref("#/channels/batchResult"),
        messages: [ref("#/channels/batchResult/messages/result")],
      },
      publishFailure: {
        action: "send",
        title: "Report an item failed",
        channel: ref("#/channels/batchFailed"),
        messages: [ref("#/channels/batchFailed/messages/failure")],
      },
      followFailures: {
        action: "receive",
        title: "Follow a batch's failures (the coordinator)",
        channel: ref("#/channels/batchFailed"),
        messages: [ref("#/channels/batchFailed/messages/failure")],
      },
      claimItem: {
        action: "send",
        title: "Claim an item (a worker)",
        channel: ref("#/channels/batchClaim"),
        messages: [ref("#/channels/batchClaim/messages/claim")],
      },
      setAside: {
        action: "send",
        title: "Set a malformed work message aside (a worker)",
        channel: ref("#/channels/batchMalformed"),
        messages: [ref("#/channels/batchMalformed/messages/malformed")],
      },
      watchDeliveries: {
        action: "receive",
        title: "Hear of items out of deliveries (the coordinator)",
        channel: ref("#/channels/maxDeliveries"),
        messages: [ref("#/channels/maxDeliveries/messages/advisory")],
      },
      askAgent: {
        action: "send",
        title: "Ask a remote agent for its move",
        channel: ref("#/channels/agentTurn"),
        messages: [ref("#/channels/agentTurn/messages/turn")],
        reply: {
          channel: ref("#/channels/agentReply"),
          messages: [
            ref("#/channels/agentReply/messages/move"),
            ref("#/channels/agentReply/messages/ratification"),
          ],
        },
      },
    },
    components: { schemas },
  }
}

/** The AsyncAPI document as `parley schema asyncapi` prints it (and `docs/asyncapi.yaml` holds it). */
export const asyncApiYaml = (): string =>
  `# Generated by \`parley schema asyncapi\`; do not edit by hand.\n${stringify(asyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false })}`
