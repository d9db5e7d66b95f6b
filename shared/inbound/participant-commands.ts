import { normalizeLine, trimPunctuation } from './reply-words.ts';

/**
 * Short replies that are not check-in intents: confirming an application ("confirm") and
 * coming back from a pause ("resume"), in the languages participants write in. Only a reply
 * whose first line is one of these counts, so a sentence that mentions them does not.
 */
const confirmations = new Set([
  'confirm',
  'confirmed',
  'i confirm',
  'yes',
  'yes please',
  'yes i applied',
  'it was me',
  'bestätigen',
  'bestätigt',
  'ich bestätige',
  'ja',
  'confirmer',
  'je confirme',
  'confirmé',
  'oui',
  'confirmar',
  'confirmo',
  'sí',
  'si',
  'confermo',
  'confermare',
  'bevestig',
  'bevestigd',
  'ik bevestig',
  'bekräfta',
  'bekreft',
  'bekræft',
]);

const resumptions = new Set([
  'resume',
  'resume me',
  'resume please',
  'please resume',
  "i'm back",
  'im back',
  'back',
  'unpause',
  'weiter',
  'fortsetzen',
  'bitte fortsetzen',
  'reprendre',
  'reprise',
  'reanudar',
  'continuar',
  'riprendere',
  'hervatten',
  'återuppta',
  'gjenoppta',
  'genoptag',
]);

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return trimPunctuation(normalizeLine(line));
}

export const confirmsApplication = (text: string) => confirmations.has(firstLine(text));
export const asksToResume = (text: string) => resumptions.has(firstLine(text));
