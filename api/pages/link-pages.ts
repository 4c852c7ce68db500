/**
 * The server-rendered pages of emailed links, in the member's language (activities/mail/i18n):
 * a confirmation page per kind of link (what exactly is decided, and as whom, one button, no
 * automatic submit), and the result pages. Forms post to the page's own URL (no action
 * attribute, no absolute URL: the Host header never reaches a page).
 */
import type { LinkRecentDoc, Models } from '../../domain/models';
import { parseWorkflowId } from '../../domain/ids';
import { LANGUAGES } from '../../domain/types';
import type { LinkAction } from '../../activities/mail/contract';
import { catalogFor, CATALOGS, type Catalog } from '../../activities/mail/i18n';
import { fill, formatDate, groupTitle, localized, Lookups } from '../../activities/mail/view';
import type { LinkClaims } from '../../activities/links/token';
import { pageShell, pages } from './layout';

export interface Page {
  status: number;
  html: string;
}

export interface SubView {
  recommendationId?: string;
  videoconferenceId?: string;
}

const WHO = pages.compile(`<p class="who">{{asWhom}}</p>`);
const VALID = pages.compile(`<p class="muted">{{validUntil}}</p>`);
const ERROR = pages.compile(`{{#if formError}}<p class="error" role="alert">{{formError}}</p>{{/if}}`);

const SIMPLE = pages.compile(`<h1>{{heading}}</h1>
<p>{{text}}</p>
<form method="post"><input type="hidden" name="action" value="{{action}}"><button type="submit">{{button}}</button></form>`);

const APPROVAL = pages.compile(`<h1>{{heading}}</h1>
<p>{{text}}</p>
{{#if items.length}}<ul class="plain">{{#each items}}<li><strong>{{title}}</strong><br>{{text}}</li>{{/each}}</ul>{{else}}<p>{{noItems}}</p>{{/if}}
<form method="post"><input type="hidden" name="action" value="approve_consolidation"><button type="submit">{{button}}</button></form>
<h2>{{changeHeading}}</h2>
<form method="post"><input type="hidden" name="action" value="request_change">
<label for="comment">{{commentLabel}}</label><textarea id="comment" name="comment" maxlength="4000" required></textarea>
<p><button type="submit" class="secondary">{{changeButton}}</button></p></form>`);

const PROGRESS = pages.compile(`<h1>{{heading}}</h1>
<p>{{text}}</p>
<form method="post"><input type="hidden" name="action" value="report_progress">
<label for="percent">{{percentLabel}}</label><input id="percent" name="percent" type="number" min="0" max="100" step="1" value="{{percent}}" required>
<label for="note">{{noteLabel}}</label><textarea id="note" name="note" maxlength="4000"></textarea>
<label><input type="checkbox" name="done" value="on"> {{doneLabel}}</label>
<p><button type="submit">{{button}}</button></p></form>`);

const REVIEW = pages.compile(`<h1>{{heading}}</h1>
<p>{{text}}</p>
{{#if canReact}}<h2>{{recommendationsHeading}}</h2>
<ul class="plain">{{#each recommendations}}<li><a href="?r={{id}}">{{number}}. {{title}}</a></li>{{/each}}</ul>{{/if}}
{{#if canRsvp}}<h2>{{videoconferencesHeading}}</h2>
<ul>{{#each videoconferences}}<li><a href="?vc={{id}}">{{title}}</a><br><span class="muted">{{when}}</span></li>{{/each}}</ul>{{/if}}`);

const REACT = pages.compile(`<h1>{{heading}}</h1>
<p><strong>{{title}}</strong></p><p>{{text}}</p>
<form method="post"><input type="hidden" name="action" value="react"><input type="hidden" name="recommendationId" value="{{recommendationId}}">
<fieldset><legend>{{stanceLabel}}</legend>
{{#each stances}}<label><input type="radio" name="stance" value="{{value}}" required> {{label}}</label>{{/each}}</fieldset>
<label for="comment">{{commentLabel}}</label><textarea id="comment" name="comment" maxlength="2000"></textarea>
<p><button type="submit">{{button}}</button></p></form>`);

const RSVP = pages.compile(`<h1>{{heading}}</h1>
<p>{{text}}</p>
<form method="post"><input type="hidden" name="action" value="rsvp"><input type="hidden" name="videoconferenceId" value="{{videoconferenceId}}">
<fieldset><legend>{{answerLabel}}</legend>
{{#each answers}}<label><input type="radio" name="answer" value="{{value}}" required> {{label}}</label>{{/each}}</fieldset>
<p><button type="submit">{{button}}</button></p></form>`);

const UNSUBSCRIBE = pages.compile(`<h1>{{unsubscribe.heading}}</h1>
<p>{{unsubscribe.text}}</p>
<form method="post"><input type="hidden" name="action" value="unsubscribe"><button type="submit">{{unsubscribe.button}}</button></form>
{{#if canErase}}<h2>{{erase.heading}}</h2>
<p>{{erase.text}}</p>
<form method="post"><input type="hidden" name="action" value="erase_data">
<label><input type="checkbox" name="confirm" value="yes" required> {{erase.confirmLabel}}</label>
<p><button type="submit" class="secondary">{{erase.button}}</button></p></form>{{/if}}`);

const RESULT = pages.compile(`<h1>{{heading}}</h1><p>{{text}}</p>`);

const ALL_LANGUAGES = pages.compile(`{{#each parts}}<section class="lang" lang="{{lang}}"><h1>{{heading}}</h1><p>{{text}}</p></section>{{/each}}`);

function timeZoneOf(cycle: { countries: { timeZone: string }[] } | null | undefined): string {
  return cycle?.countries[0]?.timeZone ?? 'Europe/Brussels';
}

/** The confirmation page of a valid link (GET and HEAD): reads only. */
export async function confirmationPage(
  models: Models,
  claims: LinkClaims,
  nonce: string,
  sub: SubView,
  formError = false,
): Promise<Page> {
  const c = catalogFor(claims.language);
  const lookups = new Lookups(models);
  const parsed = parseWorkflowId(claims.workflowId);
  const cycleId = parsed && 'cycleId' in parsed ? parsed.cycleId : undefined;
  const cycle = await lookups.cycle(cycleId);
  const vars: Record<string, string | number> = { cycleLabel: cycle?.label ?? '', version: claims.version, name: claims.name };
  if (parsed?.kind === 'group') {
    vars.groupTitle = (await groupTitle(lookups, parsed.groupId, c, claims.language)).title;
  }
  const p = c.page.confirm;
  const acts = new Set<LinkAction>(claims.actions);
  let body: string;
  let title: string;

  if (acts.has('approve_consolidation') || acts.has('request_change')) {
    const groupId = parsed?.kind === 'group' ? parsed.groupId : claims.subjectId;
    const items = (await lookups.consolidatedOfGroup(cycleId, groupId))
      .filter((r) => !r.withdrawn)
      .map((r) => ({ title: `${r.number}. ${r.title}`, text: r.text }));
    title = p.approval.heading;
    body = APPROVAL({ ...p.approval, text: fill(p.approval.text, vars), items });
  } else if (acts.has('confirm_membership') || acts.has('accept_moderator')) {
    const texts = acts.has('confirm_membership') ? p.membership : p.moderator;
    title = texts.heading;
    body = SIMPLE({ ...texts, text: fill(texts.text, vars), action: claims.actions[0] });
  } else if (acts.has('report_progress')) {
    const project = await lookups.project(parsed?.kind === 'project' ? parsed.projectId : claims.subjectId);
    const last = project?.progress?.at(-1)?.percent ?? 0;
    title = p.progress.heading;
    body = PROGRESS({ ...p.progress, text: fill(p.progress.text, { projectTitle: project?.title ?? '' }), percent: last });
  } else if (acts.has('react') || acts.has('rsvp')) {
    const page = await reviewPage(lookups, c, claims, cycleId, timeZoneOf(cycle), vars, sub);
    if (!page) return invalidPage(nonce);
    ({ title, body } = page);
  } else {
    title = p.unsubscribe.heading;
    body = UNSUBSCRIBE({ unsubscribe: p.unsubscribe, erase: p.erase, canErase: acts.has('erase_data') });
  }
  const extras =
    WHO({ asWhom: fill(c.page.asWhom, vars) }) +
    ERROR({ formError: formError ? c.page.result.formError : '' });
  const footer = VALID({ validUntil: fill(c.page.validUntil, { date: formatDate(new Date(claims.expiresAt), c, timeZoneOf(cycle)) }) });
  return {
    status: formError ? 422 : 200,
    html: pageShell({ lang: claims.language, title, nonce, body: extras + body + footer }),
  };
}

async function reviewPage(
  lookups: Lookups,
  c: Catalog,
  claims: LinkClaims,
  cycleId: string | undefined,
  timeZone: string,
  vars: Record<string, string | number>,
  sub: SubView,
): Promise<{ title: string; body: string } | undefined> {
  const p = c.page.confirm;
  const vcs = await lookups.videoconferences(cycleId);
  const vcId = sub.videoconferenceId ?? (vcs.some((v) => v._id === claims.subjectId) ? claims.subjectId : undefined);
  if (vcId && claims.actions.includes('rsvp')) {
    const vc = vcs.find((v) => v._id === vcId);
    if (!vc) return undefined;
    const vcVars = { title: localized(vc.title, claims.language), when: formatDate(vc.startsAt, c, timeZone), duration: vc.durationMinutes };
    return {
      title: fill(p.rsvp.heading, vcVars),
      body: RSVP({
        ...p.rsvp,
        heading: fill(p.rsvp.heading, vcVars),
        text: fill(p.rsvp.text, vcVars),
        videoconferenceId: vc._id,
        answers: (['yes', 'no', 'maybe'] as const).map((value) => ({ value, label: c.page.rsvp[value] })),
      }),
    };
  }
  const recs = (await lookups.consolidated(cycleId)).filter((r) => !r.withdrawn);
  if (sub.recommendationId && claims.actions.includes('react')) {
    const rec = recs.find((r) => r._id === sub.recommendationId);
    if (!rec) return undefined;
    const heading = fill(p.react.heading, { number: rec.number });
    return {
      title: heading,
      body: REACT({
        ...p.react,
        heading,
        title: rec.title,
        text: rec.text,
        recommendationId: rec._id,
        stances: (['support', 'oppose', 'neutral'] as const).map((value) => ({ value, label: c.page.stance[value] })),
      }),
    };
  }
  const heading = fill(p.review.heading, vars);
  return {
    title: heading,
    body: REVIEW({
      heading,
      text: p.review.text,
      canReact: claims.actions.includes('react'),
      canRsvp: claims.actions.includes('rsvp'),
      recommendationsHeading: p.review.recommendations,
      videoconferencesHeading: p.review.videoconferences,
      recommendations: recs.map((r) => ({ id: r._id, number: r.number, title: r.title })),
      videoconferences: vcs
        .filter((v) => !v.cancelled)
        .map((v) => ({ id: v._id, title: localized(v.title, claims.language), when: formatDate(v.startsAt, c, timeZone) })),
    }),
  };
}

function doneText(c: Catalog, action: string): string {
  return c.page.actionDone[action as keyof Catalog['page']['actionDone']] ?? '';
}

function resultPage(claims: LinkClaims, nonce: string, status: number, heading: string, text: string): Page {
  return { status, html: pageShell({ lang: claims.language, title: heading, nonce, body: RESULT({ heading, text }) }) };
}

/** The decision is recorded (or applied). */
export function recordedPage(claims: LinkClaims, action: LinkAction, nonce: string): Page {
  const c = catalogFor(claims.language);
  if (action === 'unsubscribe') return resultPage(claims, nonce, 200, c.page.result.unsubscribed.heading, c.page.result.unsubscribed.text);
  if (action === 'erase_data') return resultPage(claims, nonce, 200, c.page.result.erased.heading, c.page.result.erased.text);
  const r = c.page.result.recorded;
  return resultPage(claims, nonce, 200, r.heading, fill(r.text, { done: doneText(c, action) }));
}

/** Consumed, not yet delivered (Temporal unreachable): 202, "received, will be recorded". */
export function pendingPage(claims: LinkClaims, action: string, nonce: string): Page {
  const c = catalogFor(claims.language);
  const r = c.page.result.pending;
  return resultPage(claims, nonce, 202, r.heading, fill(r.text, { done: doneText(c, action) }));
}

/** The workflow (or the phase projection) refused: a clear page, nothing changed. */
export function rejectedPage(claims: LinkClaims, outcome: string, nonce: string): Page {
  const c = catalogFor(claims.language);
  const all = c.page.result.rejected;
  const r = all[outcome as keyof typeof all] ?? all.other;
  return resultPage(claims, nonce, 409, r.heading, r.text);
}

/** A second click or tab within the window: what the first one did. */
export function alreadyPage(claims: LinkClaims, recent: LinkRecentDoc, nonce: string): Page {
  if (recent.state === 'consumed') return pendingPage(claims, recent.action, nonce);
  if (recent.state === 'rejected') return rejectedPage(claims, recent.outcome ?? 'other', nonce);
  const c = catalogFor(claims.language);
  const r = c.page.result.already;
  return resultPage(claims, nonce, 200, r.heading, fill(r.text, { done: doneText(c, recent.action) }));
}

function allLanguages(nonce: string, status: number, pick: (c: Catalog) => { heading: string; text: string }): Page {
  const parts = LANGUAGES.map((lang) => ({ lang, ...pick(CATALOGS[lang]) }));
  return { status, html: pageShell({ lang: 'en', title: parts.map((p) => p.heading).join(' · '), nonce, body: ALL_LANGUAGES({ parts }) }) };
}

/**
 * The one answer for every link we will not act on: unknown, tampered, expired, revoked, used
 * (outside the window). Same status, same body, in all three languages (we do not know whose it is).
 */
export function invalidPage(nonce: string): Page {
  return allLanguages(nonce, 404, (c) => c.page.invalid);
}

export function rateLimitedPage(nonce: string): Page {
  return allLanguages(nonce, 429, (c) => c.page.rateLimited);
}

export function unavailablePage(nonce: string): Page {
  return allLanguages(nonce, 503, (c) => c.page.unavailable);
}
