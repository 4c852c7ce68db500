/**
 * One HTML and one text layout for every mail, filled from the catalog of the recipient's
 * language. Sentences are rendered as plain text first (view.ts `fill`), then the HTML layout
 * escapes every value exactly once ({{...}} in Handlebars), so a name or a title such as
 * `<script>` shows as text. Header values lose control characters: a CR/LF in a group title can
 * never start a header of its own.
 */
import Handlebars from 'handlebars';
import type { Language } from '../../domain/types';
import { catalogFor } from './i18n';
import { fill, type MailView } from './view';

export interface RenderInput {
  language: Language;
  view: MailView;
  /** Member's name for the greeting; undefined for role mailboxes. */
  recipientName?: string;
  link?: { url: string; expires: string };
  unsubscribeUrl?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** A value for a mail header: one line, no control characters, bounded. */
export function headerText(value: string, max = 200): string {
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

const hbs = Handlebars.create();

const HTML = hbs.compile(
  `<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{subject}}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222222">
<p>{{greeting}}</p>
{{#each paragraphs}}<p>{{this}}</p>
{{/each}}{{#each sections}}<h3 style="font-size:16px;margin:24px 0 8px">{{heading}}</h3>
<ul style="padding-left:20px">{{#each items}}<li style="margin-bottom:8px"><strong>{{title}}</strong>{{#if text}}<br>{{text}}{{/if}}{{#if meta}}<br><span style="color:#666666">{{meta}}</span>{{/if}}</li>{{/each}}</ul>
{{/each}}{{#if link}}<p style="margin:28px 0"><a href="{{link.url}}" style="background:#d4145a;color:#ffffff;padding:12px 18px;border-radius:4px;text-decoration:none;display:inline-block">{{link.label}}</a></p>
<p style="font-size:13px;color:#555555">{{link.note}}</p>
{{/if}}<p>{{signature}}</p>
{{#if footer}}<hr style="border:none;border-top:1px solid #dddddd;margin-top:28px"><p style="font-size:12px;color:#777777">{{footer.text}} <a href="{{footer.url}}" style="color:#777777">{{footer.url}}</a></p>
{{/if}}</div>
</body></html>`,
  { strict: false },
);

const TEXT = hbs.compile(
  `{{greeting}}

{{#each paragraphs}}{{this}}

{{/each}}{{#each sections}}{{heading}}
{{#each items}}- {{title}}{{#if text}}
  {{text}}{{/if}}{{#if meta}}
  {{meta}}{{/if}}
{{/each}}{{@root.blank}}
{{/each}}{{#if link}}{{link.label}}{{@root.colon}}
{{link.url}}
{{link.note}}

{{/if}}{{signature}}
{{#if footer}}
-- 
{{footer.text}} {{footer.url}}
{{/if}}`,
  { noEscape: true, strict: false },
);

/** Renders subject, HTML and text of one mail. */
export function renderMail(input: RenderInput): RenderedMail {
  const catalog = catalogFor(input.language);
  const texts = catalog.mail[input.view.textsKey];
  const vars = { ...input.view.vars, name: input.recipientName ?? '' };
  const subject = headerText(fill(texts.subject, vars), 250);
  const model = {
    lang: input.language,
    subject,
    greeting: input.recipientName !== undefined ? fill(catalog.common.greeting, vars) : catalog.common.greetingRole,
    paragraphs: texts.paragraphs.map((p) => fill(p, vars)),
    sections: input.view.sections.filter((s) => s.items.length > 0),
    link:
      input.link && texts.action
        ? { url: input.link.url, label: texts.action, note: fill(catalog.common.linkNote, { expires: input.link.expires }) }
        : undefined,
    signature: catalog.common.signature,
    footer: input.unsubscribeUrl ? { text: catalog.common.unsubscribeFooter, url: input.unsubscribeUrl } : undefined,
  };
  return { subject, html: HTML(model), text: TEXT({ ...model, blank: '', colon: catalog.common.colon }) };
}
