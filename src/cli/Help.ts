/**
 * `parley ... --help`: the help of a command, from what its module declares
 * (options, arguments, description and examples), written by parley rather
 * than by `@effect/cli`, whose help repeats each value's type in words ("A
 * user-defined piece of text."), says "This setting is optional." under an
 * option rather than beside it, prints usage as `$ serve` for `parley agent
 * serve`, and lists the commands on lines of up to 250 columns. Here:
 *
 * - the usage names the full command path, with every optional option in
 *   brackets (a repeatable one as `[--agent text]...`);
 * - each option and argument is its name, `(optional)` or `(optional,
 *   repeatable)` beside it, and its description below;
 * - the examples declared with {@link described} close the help;
 * - every line fits {@link WIDTH} columns (`tests/cli/Help.test.ts`).
 *
 * Light, as the parser: `@effect/cli` and `effect` only.
 *
 * @since 0.4.0
 */
import { CliConfig, CommandDescriptor, HelpDoc, type Usage } from "@effect/cli"
import type { Span } from "@effect/cli/HelpDoc/Span"
import { Option } from "effect"

/** The widest line the help prints. */
export const WIDTH = 100

/** Marks the examples inside a command's description (see {@link described}). */
const EXAMPLES = "EXAMPLES"

/**
 * A command's description: `summary` (one sentence) and `examples` (command
 * lines, each optionally followed by `  # what it does`), for
 * `Command.withDescription`.
 */
export const described = (summary: string, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([HelpDoc.p(summary), HelpDoc.h2(EXAMPLES), ...examples.map((e) => HelpDoc.p(e))])

/** What `@effect/cli` adds under an option or argument, and what parley shows instead (beside its name). */
const boilerplate = (text: string): "drop" | "optional" | "repeatable" | undefined => {
  if (text.startsWith("This setting is optional.")) return "optional"
  if (text === "This option may be repeated zero or more times.") return "repeatable"
  if (
    text === "This setting is a property argument which:" ||
    text.startsWith("May be specified a single time:") ||
    text.startsWith("May be specified multiple times:") ||
    text === "This option can be set from environment variables." ||
    text.startsWith("This argument must be repeated at least") ||
    text === "This argument can be set from environment variables."
  )
    return "drop"
  return undefined
}

const spanText = (span: Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Highlight":
    case "Weak":
    case "Strong":
      return spanText(span.value)
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
  }
}

/** A help document as a flat list of blocks. */
const blocksOf = (doc: HelpDoc.HelpDoc): Array<HelpDoc.HelpDoc> => {
  if (HelpDoc.isEmpty(doc)) return []
  if (HelpDoc.isSequence(doc)) return [...blocksOf(doc.left), ...blocksOf(doc.right)]
  return [doc]
}

/** `text` cut into lines of at most `width - indent` columns, each indented; a word longer than that stands alone. */
export const wrap = (text: string, indent: number, hanging = indent): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const pad = lines.length === 0 ? indent : hanging
    if (line !== "" && pad + line.length + 1 + word.length > WIDTH) {
      lines.push(" ".repeat(pad) + line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  if (line !== "" || lines.length === 0)
    lines.push(" ".repeat(lines.length === 0 ? indent : hanging) + line)
  return lines
}

/** Bold on a terminal (the console drops it elsewhere, `plainWhereNeeded`). */
const bold = (text: string) => `\u001b[1m${text}\u001b[0m`

/** The usage tree as the units a usage line is made of (none is cut across lines). */
const usageUnits = (usage: Usage.Usage): Array<string> => {
  switch (usage._tag) {
    case "Empty":
      return []
    case "Mixed":
      return ["<command>"]
    case "Named": {
      const name = [...usage.names].sort((a, b) => b.length - a.length)[0] ?? ""
      return [
        Option.match(usage.acceptedValues, { onNone: () => name, onSome: (v) => `${name} ${v}` }),
      ]
    }
    case "Optional": {
      const inner = usageUnits(usage.usage).join(" ")
      return [inner.startsWith("[") && inner.endsWith("]") ? inner : `[${inner}]`]
    }
    case "Repeated": {
      const inner = usageUnits(usage.usage).join(" ")
      // An option repeated zero or more times is optional; an argument repeated is given at least once.
      return [inner.startsWith("-") ? `[${inner}]...` : `${inner}...`]
    }
    case "Alternation":
      return [`${usageUnits(usage.left).join(" ")} | ${usageUnits(usage.right).join(" ")}`]
    case "Concat":
      return [...usageUnits(usage.left), ...usageUnits(usage.right)]
  }
}

/** The units on lines of at most {@link WIDTH} columns, continued lines indented further. */
const usageLines = (units: ReadonlyArray<string>): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const unit of units) {
    const pad = lines.length === 0 ? 2 : 6
    if (line !== "" && pad + line.length + 1 + unit.length > WIDTH) {
      lines.push(" ".repeat(pad) + line)
      line = unit
    } else line = line === "" ? unit : `${line} ${unit}`
  }
  lines.push(" ".repeat(lines.length === 0 ? 2 : 6) + line)
  return lines
}

type Descriptor = CommandDescriptor.Command<unknown>

const nameOf = (d: Descriptor): string => [...CommandDescriptor.getNames(d)][0] ?? ""

/**
 * How `@effect/cli` (0.77) builds a command with subcommands: a `Subcommands`
 * node holding its `children`, maybe inside `Map` nodes. Its public
 * `getSubcommands` gives the children without their own subcommands, so the
 * help reads the tree itself (`tests/cli/Help.test.ts` reads every command's
 * help through it).
 */
interface Node {
  readonly _tag: string
  readonly command?: Node
  readonly children?: ReadonlyArray<Node>
}

/** A command's subcommands, in the order they were given, or none for a command that runs. */
const childrenOf = (d: Descriptor): Array<Descriptor> => {
  let node = d as unknown as Node
  while (node._tag === "Map" && node.command !== undefined) node = node.command
  return node._tag === "Subcommands"
    ? (node.children ?? []).map((c) => c as unknown as Descriptor)
    : []
}

/** A command's help split into its sections (title → blocks), examples apart. */
const sectionsOf = (d: Descriptor, builtIns = false) => {
  const sections = new Map<string, Array<HelpDoc.HelpDoc>>()
  let current = ""
  const config = CliConfig.make({ showBuiltIns: builtIns })
  for (const block of blocksOf(CommandDescriptor.getHelp(d, config))) {
    if (HelpDoc.isHeader(block) && (block.level === 1 || spanText(block.value) === EXAMPLES)) {
      current = spanText(block.value)
      sections.set(current, [])
    } else sections.get(current)?.push(block)
  }
  return sections
}

/** The first sentence of a command's description. */
const summaryOf = (d: Descriptor): string => {
  const first = (sectionsOf(d).get("DESCRIPTION") ?? []).find(HelpDoc.isParagraph)
  return first === undefined ? "" : spanText(first.value)
}

/** An OPTIONS or ARGUMENTS section: each entry's name with its marks, its description below. */
const entries = (blocks: ReadonlyArray<HelpDoc.HelpDoc>): Array<string> => {
  const out: Array<string> = []
  for (const block of blocks) {
    if (!HelpDoc.isDescriptionList(block)) continue
    for (const [span, doc] of block.definitions) {
      // The first paragraph is the value's type in words, which the name already shows.
      const paragraphs = blocksOf(doc)
        .filter(HelpDoc.isParagraph)
        .slice(1)
        .map((p) => spanText(p.value))
      const marks = new Set(
        paragraphs.map(boilerplate).filter((m) => m !== undefined && m !== "drop"),
      )
      const mark = marks.has("repeatable")
        ? "  (optional, repeatable)"
        : marks.has("optional")
          ? "  (optional)"
          : ""
      out.push(
        ...wrap(`${spanText(span)}${mark}`, 2, 6).map((l, i) =>
          i === 0 ? `  ${bold(l.trimStart())}` : l,
        ),
      )
      for (const p of paragraphs) if (boilerplate(p) === undefined) out.push(...wrap(p, 6))
    }
  }
  return out
}

/**
 * The help of the command at `path` under `root` (`[]`: parley itself), or
 * undefined when `path` names no command.
 */
export const helpText = <A>(
  root: { readonly descriptor: CommandDescriptor.Command<A> },
  path: ReadonlyArray<string>,
): string | undefined => {
  let d = root.descriptor as Descriptor
  const names = [nameOf(d)]
  for (const name of path) {
    const children = childrenOf(d)
    // Past a command that runs, the words are its arguments (`parley run deal.ts --help`).
    if (children.length === 0) break
    const next = children.find((c) => nameOf(c) === name)
    if (next === undefined) return undefined
    d = next
    names.push(name)
  }
  // The options every command takes (--help, --version, ...) are listed under parley itself.
  const sections = sectionsOf(d, path.length === 0)
  const children = childrenOf(d)
  const out: Array<string> = [
    ...wrap(`${names.join(" ")} — ${summaryOf(d)}`, 0, 2),
    "",
    bold("USAGE"),
    "",
  ]
  if (children.length > 0) out.push(`  ${names.join(" ")} <command> [options]`)
  else {
    const [, ...units] = usageUnits(CommandDescriptor.getUsage(d))
    out.push(...usageLines([names.join(" "), ...units]))
  }
  const description = (sections.get("DESCRIPTION") ?? []).filter(HelpDoc.isParagraph).slice(1)
  if (description.length > 0) {
    out.push("", bold("DESCRIPTION"), "")
    for (const p of description) out.push(...wrap(spanText(p.value), 2))
  }
  if (children.length > 0) {
    out.push("", bold("COMMANDS"), "")
    const width = Math.max(...children.map((c) => nameOf(c).length)) + 4
    for (const c of children) {
      const [first = "", ...rest] = wrap(summaryOf(c), width)
      out.push(
        `  ${bold(nameOf(c))}${" ".repeat(width - 2 - nameOf(c).length)}${first.trimStart()}`,
      )
      out.push(...rest)
    }
    out.push("", `Run \`${names.join(" ")} <command> --help\` for a command's options.`)
  }
  for (const title of ["ARGUMENTS", "OPTIONS"]) {
    const lines = entries(sections.get(title) ?? [])
    if (lines.length > 0) out.push("", bold(title), "", ...lines)
  }
  const examples = (sections.get(EXAMPLES) ?? []).filter(HelpDoc.isParagraph)
  if (examples.length > 0) {
    out.push("", bold(EXAMPLES), "")
    for (const e of examples) out.push(...wrap(spanText(e.value), 2, 6))
  }
  return out.join("\n")
}

/** Every command path under `root` (`[]` for parley itself), parents before their subcommands. */
export const commandPaths = <A>(root: {
  readonly descriptor: CommandDescriptor.Command<A>
}): Array<Array<string>> => {
  const out: Array<Array<string>> = []
  const visit = (d: Descriptor, path: Array<string>) => {
    out.push(path)
    for (const c of childrenOf(d)) visit(c, [...path, nameOf(c)])
  }
  visit(root.descriptor as Descriptor, [])
  return out
}

/** Whether `path` names a command that only groups others (`parley`, `parley agent`): run alone, it shows its help. */
export const isGroup = <A>(
  root: { readonly descriptor: CommandDescriptor.Command<A> },
  path: ReadonlyArray<string>,
): boolean => {
  let d = root.descriptor as Descriptor
  for (const name of path) {
    const next = childrenOf(d).find((c) => nameOf(c) === name)
    if (next === undefined) return false
    d = next
  }
  return childrenOf(d).length > 0
}
