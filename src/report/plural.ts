/** A count with its noun in the right number: "1 warning", "0 warnings", "1,204 warnings". */
export function counted(count: number, word: string, words = `${word}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? word : words}`;
}
