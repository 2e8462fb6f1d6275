/**
 * Every generated artifact, by path relative to the package root. Text files
 * are strings; binary files (the corpus) are byte arrays.
 */
import { generateC } from './c.js';
import { generateCode } from './code.js';
import { generateConversations } from './conversations.js';
import { generateCorpus } from './corpus.js';
import { generateDocs } from './docs.js';
import { generateSchema } from './schema.js';
import { generateWireshark } from './wireshark.js';

export function generateAll(): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  for (const gen of [generateCode, generateC, generateDocs, generateSchema, generateCorpus, generateConversations, generateWireshark]) {
    for (const [path, content] of gen()) files.set(path, content);
  }
  return files;
}
