/**
 * The EventStore contract (`EventStoreContract.ts`) against every adapter,
 * each opened from its spec through the one place that opens stores
 * (`Spec.storeLayer`). Adding an adapter is one line in `adapters`, which
 * does not compile until every kind of {@link Spec.StoreSpec} has its line.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "@effect/vitest"
import * as Spec from "../../src/store/Spec.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { testEventStore } from "./EventStoreContract.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-contract-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
let prefixes = 0
/** The private nats-server of the adapters that need one. */
let server: NatsServer.NatsServer | undefined

/** How the contract runs one kind of store. */
interface Adapter<K extends Spec.StoreSpec["_tag"]> {
  /** The spec of a fresh, empty log. */
  readonly fresh: () => Extract<Spec.StoreSpec, { readonly _tag: K }>
  /** Runs of the model-based property. */
  readonly modelRuns: number
  /** Whether it needs nats-server (started for it). */
  readonly nats?: true
}

/** One line per adapter. */
const adapters: { readonly [K in Spec.StoreSpec["_tag"]]: Adapter<K> } = {
  memory: { fresh: () => Spec.memory, modelRuns: 100 },
  jsonl: { fresh: () => Spec.jsonl(join(dir, `log-${++files}.jsonl`)), modelRuns: 30 },
  nats: {
    fresh: () => Spec.nats(server?.url ?? "nats://127.0.0.1:1", { prefix: `c${++prefixes}` }),
    modelRuns: 15,
    nats: true,
  },
}

for (const [name, adapter] of Object.entries(adapters) as Array<
  [string, Adapter<Spec.StoreSpec["_tag"]>]
>) {
  const contract = () =>
    testEventStore(name, () => Spec.storeLayer(adapter.fresh()), {
      modelRuns: adapter.modelRuns,
    })
  if (adapter.nats === true)
    describeWithNats(`${name} (private server)`, () => {
      beforeAll(async () => {
        server = await NatsServer.start()
      })
      afterAll(async () => {
        await server?.stop()
      })
      contract()
    })
  else contract()
}
