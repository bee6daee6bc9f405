/**
 * The NATS server a benchmark runs against: `PARLEY_NATS_URL`, or a private
 * nats-server started for the benchmark and stopped after it.
 */
import * as NatsServer from "../../tests/support/NatsServer.ts"

/** Runs `f` against `PARLEY_NATS_URL`, or a private server started for it. */
export const withServer = async <A>(f: (url: string) => Promise<A>): Promise<A> => {
  const url = process.env.PARLEY_NATS_URL
  if (url !== undefined) return f(url)
  const server = await NatsServer.start()
  try {
    return await f(server.url)
  } finally {
    await server.stop()
  }
}
