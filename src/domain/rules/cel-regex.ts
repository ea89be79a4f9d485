// A merchant's regular expression runs on every order against text the buyer chose, on
// JavaScript's backtracking engine: patterns that can backtrack exponentially are refused at
// draft time. The test is conservative — a repeated group may hold neither a repetition nor
// an alternative ((a+)+, (a|aa)*, ((ab)*c)+), and backreferences are out — not a proof.

/** Why the pattern is refused, or null. */
export function backtrackingRisk (pattern: string): string | null {
  // Per open group: does it hold a repetition or an alternative (its nested groups included)?
  const groups: boolean[] = []
  let inClass = false
  let afterRiskyGroup = false
  const mark = () => { if (groups.length > 0) groups[groups.length - 1] = true }
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      if (!inClass && /[1-9k]/.test(pattern[i + 1] ?? '')) return 'backreferences are not allowed'
      i++
      afterRiskyGroup = false
    } else if (inClass) {
      if (c === ']') inClass = false
    } else if (c === '[') {
      inClass = true
      afterRiskyGroup = false
    } else if (c === '(') {
      groups.push(false)
      afterRiskyGroup = false
    } else if (c === ')') {
      afterRiskyGroup = groups.pop() ?? false
      if (afterRiskyGroup) mark()
    } else if (c === '+' || c === '*' || c === '{') {
      if (afterRiskyGroup) return 'a repeated group may not contain a repetition or an alternative (|): it can backtrack for ever'
      mark()
      afterRiskyGroup = false
    } else {
      if (c === '|') mark()
      afterRiskyGroup = false
    }
  }
  return null
}
