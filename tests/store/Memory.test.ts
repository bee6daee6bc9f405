import * as Memory from "../../src/store/Memory.ts"
import { testEventStore } from "./EventStoreContract.ts"

testEventStore("memory", () => Memory.layer, { modelRuns: 100 })
