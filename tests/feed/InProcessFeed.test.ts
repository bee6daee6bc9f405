import { Layer } from "effect"
import * as InProcessFeed from "../../src/feed/InProcessFeed.ts"
import * as Memory from "../../src/store/Memory.ts"
import { testStateFeed } from "./StateFeedContract.ts"

testStateFeed("in-process over the memory store", () =>
  Layer.provideMerge(InProcessFeed.layer, Memory.layer),
)
