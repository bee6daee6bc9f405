/**
 * The help of every command, as a user reads it: every option and argument
 * described in parley's words (none of `@effect/cli`'s "A user-defined piece
 * of text." or "This setting is optional."), optional options marked beside
 * their name, the full command path in the usage, examples at the end, every
 * line within 100 columns; and a command line the parser refuses is one line,
 * `parley: ...`, with exit code 2 (a run-time error exits 1).
 */
import { stripVTControlCharacters } from "node:util"
import { assert, describe, it } from "vitest"
import { parley } from "../../src/cli/Commands.ts"
import { commandPaths, helpText, WIDTH } from "../../src/cli/Help.ts"
import { cli } from "../support/Cli.ts"

const placeholders = [
  "A user-defined piece of text.",
  "This setting is optional.",
  "This option may be repeated",
  "A true or false value.",
  "An integer.",
  "An existing file.",
  "One of the following:",
  "This setting is a property argument",
]

const helpOf = (path: ReadonlyArray<string>) => {
  const text = helpText(parley, path)
  assert.isDefined(text, `no help for ${path.join(" ")}`)
  return stripVTControlCharacters(text!)
}

/** The lines of a section, up to the next title. */
const section = (help: string, title: string) => {
  const lines = help.split("\n")
  const start = lines.indexOf(title)
  if (start < 0) return []
  const end = lines.findIndex((l, i) => i > start + 1 && /^[A-Z]+$/.test(l))
  return lines.slice(start + 2, end < 0 ? undefined : end - 1)
}

describe("the help of every command", () => {
  const paths = commandPaths(parley)

  it("covers parley, its twenty commands and their subcommands", () => {
    assert.isAtLeast(paths.length, 24)
    assert.deepInclude(paths, ["agent", "serve"])
    assert.deepInclude(paths, ["import", "geniusweb"])
  })

  for (const path of paths) {
    const name = ["parley", ...path].join(" ")
    it(`${name}: described in parley's words, within ${WIDTH} columns, with examples`, () => {
      const help = helpOf(path)
      for (const phrase of placeholders) assert.notInclude(help, phrase, name)
      for (const line of help.split("\n"))
        assert.isAtMost(line.length, WIDTH, `${name}: a line of ${line.length} columns: ${line}`)
      const usage = section(help, "USAGE")
      assert.match(usage[0] ?? "", new RegExp(`^  ${name}( |$)`), `${name}: usage ${usage[0]}`)
      assert.notInclude(help, "$ ", name)
      const examples = section(help, "EXAMPLES")
      assert.isAtLeast(examples.length, 1, `${name} has no examples`)
      // One command line each, whole, to copy.
      for (const e of examples) assert.match(e, /^ {2}parley /, `${name}: example ${e}`)
      // Each option and argument: its name, then at least one line of description below it.
      for (const title of ["OPTIONS", "ARGUMENTS"]) {
        const lines = section(help, title)
        for (const [i, line] of lines.entries())
          if (/^ {2}\S/.test(line))
            assert.match(lines[i + 1] ?? "", /^ {6}\S/, `${name}: ${line.trim()} is not described`)
      }
    })
  }

  it("marks optional options beside their name, and shows a repeatable one as optional in the usage", () => {
    const help = helpOf(["run"])
    assert.include(help, "--seed integer (optional)")
    assert.include(help, "--agent text... (optional, repeatable)")
    assert.include(help, "[--agent text]...")
    assert.notMatch(help, /\[\[/)
    // A required option stays unmarked.
    assert.match(helpOf(["agent", "serve"]), /^ {2}--name text$/m)
  })

  it("is what `parley <command> --help` prints, also after the command's arguments, and what `parley` alone prints", async () => {
    const [nested, afterArgs, alone] = await Promise.all([
      cli(["agent", "serve", "--help"]),
      cli(["run", "scenarios/rubinstein.ts", "--help"]),
      cli([]),
    ])
    assert.strictEqual(alone.code, 0, alone.stderr)
    assert.strictEqual(alone.stdout.trimEnd(), helpOf([]))
    assert.strictEqual(nested.code, 0, nested.stderr)
    assert.strictEqual(nested.stdout.trimEnd(), helpOf(["agent", "serve"]))
    assert.strictEqual(afterArgs.code, 0, afterArgs.stderr)
    assert.strictEqual(afterArgs.stdout.trimEnd(), helpOf(["run"]))
  }, 60_000)
})

describe("usage errors", () => {
  it("are one line prefixed parley:, exit code 2; a run-time error exits 1", async () => {
    const [badValue, unknownCommand, missingArgument, runTime] = await Promise.all([
      cli(["replay", "examples/supply-contract.jsonl", "--until-version", "abc"]),
      cli(["no-such-command"]),
      cli(["agent", "serve", "boulware"]),
      cli(["replay", "examples/supply-contract.jsonl", "--negotiation", "nope"]),
    ])
    for (const r of [badValue, unknownCommand, missingArgument]) {
      assert.strictEqual(r.code, 2, r.stderr)
      const lines = r.stderr.trimEnd().split("\n")
      assert.strictEqual(lines.length, 1, r.stderr)
      assert.match(lines[0]!, /^parley: \S/)
      assert.strictEqual(r.stdout, "")
    }
    assert.include(badValue.stderr, "abc")
    assert.include(missingArgument.stderr, "--name")
    assert.strictEqual(runTime.code, 1, runTime.stderr)
    assert.match(runTime.stderr, /^parley: /)
  }, 60_000)
})
