// The building judgment (建物名の判定) seed 001 shows beside the others: for information only,
// the building never decides the result (A棟101 against B棟101 is still 完全一致).
import type { FieldJudgment } from './match.js'
import { foldName } from './text.js'

export function judgeBuilding (queryBuilding: string | null, matched: ReadonlyArray<{ building: string | null }>): FieldJudgment {
  if (queryBuilding === null) return 'unspecified'
  const wanted = foldName(queryBuilding)
  return matched.some((r) => r.building !== null && foldName(r.building) === wanted) ? 'hit' : 'miss'
}
