/**
 * The page shell of the emailed-link pages: no script, no third-party resource, one inline style
 * allowed by a per-response CSP nonce. Every value is HTML-escaped by Handlebars; `body` is the
 * output of the page templates (themselves escaping).
 */
import Handlebars from 'handlebars';

export const pages = Handlebars.create();

const CSS = `
body{margin:0;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;color:#222;line-height:1.5}
main{max-width:640px;margin:0 auto;padding:24px;background:#fff;min-height:100vh;box-sizing:border-box}
.brand{color:#d4145a;font-weight:bold;margin:0 0 16px}
h1{font-size:22px;margin:0 0 16px}h2{font-size:17px;margin:28px 0 8px}
.who{background:#f6f6f6;border-left:4px solid #d4145a;padding:8px 12px}
.muted{color:#666;font-size:13px}.error{color:#b00020;font-weight:bold}
ol,ul{padding-left:20px}li{margin-bottom:10px}ul.plain{list-style:none;padding-left:0}
form{margin:20px 0}label{display:block;margin:10px 0 4px}
textarea{width:100%;min-height:90px;box-sizing:border-box;font:inherit}
input[type=number]{width:6em;font:inherit}
button{background:#d4145a;color:#fff;border:0;border-radius:4px;padding:12px 18px;font:inherit;cursor:pointer}
button.secondary{background:#555}
.lang{margin-bottom:28px}
`;

const SHELL = pages.compile(
  `<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><title>{{title}} · Smart in Progress</title>
<style nonce="{{nonce}}">{{{css}}}</style></head>
<body><main><p class="brand">Smart in Progress</p>
{{{body}}}
</main></body></html>`,
);

/** A complete page; `body` must come from a compiled (escaping) template. */
export function pageShell(input: { lang: string; title: string; nonce: string; body: string }): string {
  return SHELL({ ...input, css: CSS });
}
