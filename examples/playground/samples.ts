// Texts to train a character model on, written for the playground (the visitor can paste their own).

const numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/** The times tables in words: a text with a rule a small model can learn in a few hundred steps. */
function timesTables(): string {
  const lines: string[] = [];
  for (let a = 2; a <= 9; a++) for (let b = 1; b <= 12; b++) lines.push(`${numbers[a]} times ${numbers[b]} is ${a * b}.`);
  return lines.join("\n");
}

const ABOUT = `A transformer reads a text as a list of tokens. Each token is looked up in a table and becomes a row of numbers, its embedding. The rows pass through a stack of layers, and every layer does two things. First, attention: each position asks a question, every earlier position offers an answer, and the position takes a weighted mix of what the others hold. Then a small network, the same for every position, reshapes what attention gathered. Each layer adds its result to the rows instead of replacing them, so the rows are a stream that every layer writes into.
At the end of the stack, the last layer's rows are compared with every token in the table. The scores are logits; softmax turns them into probabilities, and the next token is drawn from them. The drawn token is appended, and the model reads the longer text again. A cache of the keys and values it computed before means it only has to read the new token.
Training is the same reading, done on text whose next token is known. The loss says how surprised the model was by the true next token. The gradient says how each weight should move to make it less surprised, and the optimizer moves every weight a little. After enough steps the model is rarely surprised by text like the text it was trained on. It has not been told any rule; it has found the ones that make the next character easy to guess.
A character model guesses one letter at a time. At first its guesses are noise. Soon it learns which letters are common, then which letters follow which, then short words, then where spaces go. A model this small will never write a true sentence, but watch its samples: the words it makes up are shaped like English words, because the rules of spelling are what it could learn.`;

/** The samples by name: the first is the default. */
export const SAMPLE_TEXTS: Record<string, string> = {
  "how a transformer works (prose)": `${ABOUT}\n${ABOUT.split("\n").reverse().join("\n")}`,
  "the times tables, in words": timesTables(),
};
