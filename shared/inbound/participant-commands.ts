import { trimPunctuation, wordsOf } from './reply-words.ts';
import { vocabulary } from './vocabulary.ts';

/**
 * Confirming an application by reply ("confirm", "ja", "je confirme"), in the languages
 * participants write in (the words are in `words/`). Only a reply whose first line is one of
 * these counts, so a sentence that mentions confirming does not.
 */
export function confirmsApplication(text: string): boolean {
  const line = text.split('\n').find((each) => each.trim() !== '') ?? '';
  return vocabulary.confirm.isExactly(wordsOf(trimPunctuation(line)));
}
