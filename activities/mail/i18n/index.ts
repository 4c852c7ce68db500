/** The catalogs by language. */
import type { Language } from '../../../domain/types';
import { en } from './en';
import { fr } from './fr';
import { nl } from './nl';
import type { Catalog } from './types';

export type { Catalog, MailTexts } from './types';

export const CATALOGS: Record<Language, Catalog> = { nl, fr, en };

/** The catalog of a language, English for anything unknown. */
export function catalogFor(language: string | undefined): Catalog {
  return CATALOGS[language as Language] ?? en;
}
