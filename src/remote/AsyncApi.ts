/**
 * The AsyncAPI 3.0 document of every subject parley uses on NATS: the event
 * log's commits, the state feed (states, summary, problems), the KV buckets
 * seen as their `$KV` subjects, and remote agents' turns and replies. Every
 * payload schema is generated from the Schemas the code validates with — the
 * ones `parley schema events|state|turn|move` print — so the document cannot
 * drift from the code; `docs/asyncapi.yaml` is this document
 * (`parley schema asyncapi`), and a test keeps the two equal and has the
 * official parser validate it.
 *
 * @since 0.3.0
 */
import { JSONSchema, type Schema } from "effect"
import { EventEnvelope } from "../domain/Event.ts"
import { StateView, Summary } from "../feed/StateSchema.ts"
import { AgentMove, AgentRatification, AgentTurn } from "../simulation/remote/Protocol.ts"

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
export const asyncApiDocument = (prefix = "parley"): Json => {
  const schemas: Json = {}
  const payload = (name: string, schema: Schema.Schema.Any) => {
    const s = schemaOf(schema, schemas)
    if (!("$ref" in s)) schemas[name] = s
    return "$ref" in s ? s : ref(`#/components/schemas/${name}`)
  }
  const commit = { type: "array", items: payload("EventEnvelope", EventEnvelope), minItems: 1 }
  const state = payload("StateView", StateView)
  const summary = payload("Summary", Summary)
  const turn = payload("AgentTurn", AgentTurn)
  const move = payload("AgentMove", AgentMove)
  const ratification = payload("AgentRatification", AgentRatification)
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
        "Every subject parley uses: the event log (JetStream), the state feed the projector publishes, its KV buckets, and the turns of remote agents. The subject prefix is `parley` unless PARLEY_NATS_PREFIX changes it; payloads are JSON, their schemas generated from the Schemas parley validates with (`parley schema events|state|turn|move`).",
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
        address: `${prefix}.events.{negotiationId}`,
        title: "Event log",
        description: `One negotiation's commits in the JetStream stream ${prefix.toUpperCase()} (capturing ${prefix}.events.>): each message is one append, a JSON array of the event envelopes it wrote, all-or-nothing.`,
        parameters: negotiationId,
        messages: { commit: message("Commit", "A commit", "the envelopes of one append", commit) },
      },
      state: {
        address: `${prefix}.state.{negotiationId}`,
        title: "States of a negotiation",
        description:
          "Every state of one negotiation, one message per event, in version order (published by parley project); drop a state whose version is not above the last one kept.",
        parameters: negotiationId,
        messages: {
          state: message("State", "A state", "the derived state after one event", state),
        },
      },
      stateSummary: {
        address: `${prefix}.state-summary`,
        title: "Summary",
        description: "Every negotiation the projector knows, with its status and version.",
        messages: { summary: message("Summary", "The summary", "every negotiation", summary) },
      },
      stateProblems: {
        address: `${prefix}.state-problems`,
        title: "Problems",
        description:
          "What the projector set aside (corrupt or impossible events, with their stream sequence), one JSON object each.",
        messages: {
          problem: message("Problem", "A problem", "an event the projector set aside", {
            type: "object",
          }),
        },
      },
      stateBucket: {
        address: `$KV.${prefix}-state.{negotiationId}`,
        title: "KV bucket of the latest states",
        description: `The KV bucket ${prefix}-state: the latest state per negotiation id (read it with a KV get or watch).`,
        parameters: negotiationId,
        messages: { state: message("LatestState", "The latest state", "a KV value", state) },
      },
      projectionBucket: {
        address: `$KV.${prefix}-projection.summary`,
        title: "KV bucket of the projection: summary",
        description: `Key summary of the KV bucket ${prefix}-projection (its key checkpoint is the projector's own).`,
        messages: {
          summary: message("StoredSummary", "The stored summary", "a KV value", summary),
        },
      },
      agentTurn: {
        address: "{agentSubject}",
        title: "A remote agent's turns",
        description: `The subject a remote agent answers on (a party's { kind: remote, subject } strategy; parley agent serve uses ${prefix}.agents.<name>). Each request is a turn; the reply is the move (or the ratification the turn asks for).`,
        parameters: {
          agentSubject: { description: `the agent's subject, e.g. ${prefix}.agents.buyer-bot` },
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
