import { assert, describe, it } from "vitest"
import { table } from "../../src/cli/Table.ts"

describe("text tables", () => {
  it("fit each column to its widest cell, so a long id keeps the others aligned", () => {
    const lines = table([
      ["a", "principal", "x"],
      ["a-party-id-longer-than-fourteen", "mediator", "y"],
    ])
    assert.deepStrictEqual(lines, [
      "  a                                principal  x",
      "  a-party-id-longer-than-fourteen  mediator   y",
    ])
  })

  it("align right-hand columns to the right and never end a line in spaces", () => {
    const lines = table(
      [
        ["—", "opened", ""],
        ["12", "offered", "terms"],
      ],
      { indent: "", right: [0] },
    )
    assert.deepStrictEqual(lines, [" —  opened", "12  offered  terms"])
  })
})
