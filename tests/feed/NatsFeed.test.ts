import { Layer } from "effect"
import * as NatsFeed from "../../src/feed/NatsFeed.ts"
import { testStateFeed } from "./StateFeedContract.ts"
import { storeWithProjector, withServer } from "./support/Nats.ts"

withServer("NATS state feed", (url) => {
  let prefixes = 0
  testStateFeed("NATS (projector + KV + state subjects)", () => {
    const prefix = `feed${++prefixes}`
    return Layer.provideMerge(NatsFeed.layer({ prefix }), storeWithProjector(url(), prefix))
  })
})
