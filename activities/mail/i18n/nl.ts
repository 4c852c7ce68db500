import type { Catalog } from './types';

export const nl: Catalog = {
  locale: 'nl-BE',
  common: {
    greeting: 'Hallo {{name}},',
    greetingRole: 'Hallo,',
    colon: ':',
    signature: 'Het team Coöperatief leven van Smart',
    linkNote: 'Deze link is persoonlijk: hij handelt in jouw naam. Hij is geldig tot {{expires}}.',
    unsubscribeFooter: 'Je ontvangt deze mail als vennoot van Smart. Geen meldingen meer ontvangen:',
    erasedMember: 'gewist lid',
    onlineGroup: 'online',
    groupTitle: '{{theme}} ({{place}})',
    minutes: 'minuten',
    joinLink: 'Deelnemen',
    sections: {
      recommendations: 'Aanbevelingen',
      videoconferences: 'Videoconferenties',
      ongoingProjects: 'Lopende projecten',
      legalConstraints: 'Juridische randvoorwaarden',
      financialConstraints: 'Financiële randvoorwaarden',
      notes: 'Opmerkingen',
      details: 'Details',
    },
    alerts: {
      smtp_failures: '{{failed}} mails ({{purpose}}) konden niet bezorgd worden: de mailserver weigerde ze, of hun afloop is onbekend.',
      approval_escalated: 'De moderator van {{groupTitle}} heeft niet op tijd geantwoord: de goedkeuring van de formulering ligt nu bij jullie.',
      board_late: 'De raad van bestuur {{country}} is over zijn termijn met {{undecided}} aanbevelingen zonder beslissing.',
      public_review_blocked: 'De publieke consultatie kan niet starten: er staan nog {{blocked}} goedkeuringen open.',
      other: 'Het proces meldt: {{kind}}.',
    },
  },
  mail: {
    group_invitation: {
      subject: 'Smart in Progress: bevestig dat je deelneemt aan de groep {{groupTitle}}',
      paragraphs: [
        'Je hebt je ingeschreven voor de werkgroep {{groupTitle}} van Smart in Progress {{cycleLabel}}.',
        'Bevestig je deelname: de groep start zodra genoeg vennoten bevestigd hebben.',
      ],
      action: 'Ik bevestig mijn deelname',
    },
    moderator_invitation: {
      subject: 'Smart in Progress: wil je de groep {{groupTitle}} modereren?',
      paragraphs: [
        'Je bent voorgesteld als moderator van de werkgroep {{groupTitle}} ({{cycleLabel}}).',
        'De moderator begeleidt de bijeenkomsten van de groep en keurt op het einde goed hoe het team Coöperatief leven de aanbevelingen van de groep in het gezamenlijke document heeft samengevoegd.',
      ],
      action: 'Ik aanvaard de rol van moderator',
    },
    framing_brief: {
      subject: 'Smart in Progress: de kadernota van {{themeTitle}}',
      paragraphs: [
        'Je groep {{groupTitle}} begint aan haar werk.',
        'Dit moet de groep van bij het begin voor ogen houden: de lopende projecten en de juridische en financiële randvoorwaarden van het thema {{themeTitle}}.',
      ],
    },
    group_fallen_back: {
      subject: 'Smart in Progress: je groep gaat online verder',
      paragraphs: [
        'De groep {{groupTitle}} heeft niet genoeg deelnemers gehaald.',
        'Je neemt nu deel aan de onlinegroep van het thema {{themeTitle}}, met vennoten van andere kantoren: {{fallbackTitle}}.',
      ],
    },
    group_cancelled: {
      subject: 'Smart in Progress: de groep {{groupTitle}} gaat niet door',
      paragraphs: [
        'De werkgroep {{groupTitle}} gaat dit jaar niet door.',
        'Bedankt voor je interesse. Tijdens de publieke consultatie word je uitgenodigd om op alle aanbevelingen te reageren.',
      ],
    },
    submission_reminder: {
      subject: 'Smart in Progress: de aanbevelingen van je groep worden verwacht op {{deadline}}',
      paragraphs: [
        'De groep {{groupTitle}} heeft haar aanbevelingen nog niet ingediend. De uiterste datum is {{deadline}}.',
        'Aanbevelingen zijn duidelijk en beknopt, en zeggen hoe ze passen in de lopende projecten van Smart.',
      ],
    },
    approval_request: {
      subject: 'Smart in Progress: keur de samengevoegde formulering van {{groupTitle}} goed',
      paragraphs: [
        'Het team Coöperatief leven heeft de aanbevelingen van alle groepen samengevoegd tot één document (versie {{version}}).',
        'Kijk na hoe de aanbevelingen van je groep samengevoegd of herschreven zijn, en keur de formulering goed of vraag een wijziging vóór {{deadline}}.',
      ],
      action: 'Goedkeuren of een wijziging vragen',
    },
    approval_reminder: {
      subject: 'Herinnering: keur de samengevoegde formulering van {{groupTitle}} goed vóór {{deadline}}',
      paragraphs: [
        'We hebben je antwoord over de samengevoegde formulering van de aanbevelingen van je groep (versie {{version}}) nog niet ontvangen.',
        'Zonder antwoord op {{deadline}} beslist het team Coöperatief leven.',
      ],
      action: 'Goedkeuren of een wijziging vragen',
    },
    public_review_invitation: {
      subject: 'Smart in Progress {{cycleLabel}}: reageer op de aanbevelingen',
      paragraphs: [
        'De werkgroepen hebben {{recommendationCount}} aanbevelingen geformuleerd. Tot {{closesAt}} kan elke vennoot ze lezen en erop reageren.',
        'In videoconferenties die voor alle vennoten openstaan worden ze besproken; de uitnodigingen zitten in bijlage.',
      ],
      action: 'Lezen, reageren en inschrijven',
    },
    videoconference_update: {
      subject: 'Smart in Progress: videoconferentie {{title}}, {{when}}',
      paragraphs: [
        'De videoconferentie {{title}} vindt plaats op {{when}} ({{duration}} minuten).',
        'De bijgewerkte uitnodiging zit in bijlage.',
      ],
      action: 'Laat weten of je komt',
    },
    videoconference_cancelled: {
      subject: 'Geannuleerd: videoconferentie {{title}}, {{when}}',
      paragraphs: ['De videoconferentie {{title}} van {{when}} is geannuleerd.', 'De annulering zit in bijlage voor je agenda.'],
    },
    board_reminder: {
      subject: 'Smart in Progress: {{undecided}} aanbevelingen wachten op een beslissing van de raad van bestuur {{country}}',
      paragraphs: [
        'De termijn van de raad loopt tot {{deadline}}. {{undecided}} aanbevelingen voor {{country}} hebben nog geen beslissing.',
      ],
    },
    staff_alert: {
      subject: 'Smart in Progress: actie nodig ({{kind}})',
      paragraphs: ['{{alertText}}'],
    },
    progress_request: {
      subject: 'Smart in Progress: hoe staat het project {{projectTitle}} ervoor?',
      paragraphs: ['Je volgt het project {{projectTitle}} op. Laat ons weten hoe ver het staat; het duurt een minuut.'],
      action: 'Voortgang melden',
    },
    assembly_outcome: {
      subject: 'Smart in Progress {{cycleLabel}}: de beslissingen van de algemene vergadering ({{country}})',
      paragraphs: [
        'De algemene vergadering heeft {{ratified}} aanbevelingen voor {{country}} bekrachtigd. Ze worden projecten van het strategisch plan van Smart, en hun voortgang wordt opgevolgd.',
      ],
    },
  },
  page: {
    siteName: 'Smart in Progress',
    asWhom: 'Je handelt als {{name}}.',
    validUntil: 'Deze link is geldig tot {{date}}.',
    confirm: {
      membership: {
        heading: 'Bevestig je deelname',
        text: 'Je bevestigt dat je deelneemt aan de werkgroep {{groupTitle}} ({{cycleLabel}}).',
        button: 'Ik bevestig mijn deelname',
      },
      moderator: {
        heading: 'De rol van moderator aanvaarden',
        text: 'Je aanvaardt om de werkgroep {{groupTitle}} ({{cycleLabel}}) te modereren.',
        button: 'Ik aanvaard',
      },
      approval: {
        heading: 'De samengevoegde formulering goedkeuren',
        text: 'Versie {{version}} van het samengevoegde document formuleert de aanbevelingen van je groep ({{groupTitle}}) als volgt.',
        button: 'Deze formulering goedkeuren',
        changeHeading: 'Of een wijziging vragen',
        commentLabel: 'Wat moet er veranderen?',
        changeButton: 'Deze wijziging vragen',
        noItems: 'Geen enkele aanbeveling van deze versie komt van je groep.',
      },
      progress: {
        heading: 'Voortgang melden',
        text: 'Hoe ver staat het project {{projectTitle}}?',
        button: 'Versturen',
        percentLabel: 'Voortgang (procent)',
        noteLabel: 'Wat is er gebeurd sinds de vorige keer?',
        doneLabel: 'Het project is afgerond',
      },
      review: {
        heading: 'Publieke consultatie {{cycleLabel}}',
        text: 'Kies een aanbeveling om op te reageren, of een videoconferentie om je in te schrijven.',
        recommendations: 'Aanbevelingen',
        videoconferences: 'Videoconferenties',
        open: 'Openen',
      },
      react: {
        heading: 'Reageren op aanbeveling {{number}}',
        text: '{{title}}',
        button: 'Mijn reactie versturen',
        stanceLabel: 'Je standpunt',
        commentLabel: 'Opmerking (niet verplicht)',
      },
      rsvp: {
        heading: 'Videoconferentie {{title}}',
        text: '{{when}} ({{duration}} minuten).',
        button: 'Mijn antwoord versturen',
        answerLabel: 'Kom je?',
      },
      unsubscribe: {
        heading: 'Geen meldingen meer',
        text: 'Je ontvangt de meldingen van Smart in Progress niet meer (publieke consultatie, videoconferenties, resultaten). Mails over een groep waarin je zit, blijven komen.',
        button: 'Uitschrijven',
      },
      erase: {
        heading: 'Mijn persoonsgegevens wissen',
        text: 'Je naam en adres worden gewist uit Smart in Progress; wat je bijdroeg blijft, als "gewist lid". Dit kan niet ongedaan gemaakt worden.',
        button: 'Mijn gegevens wissen',
        confirmLabel: 'Ik begrijp dat dit niet ongedaan kan worden',
      },
    },
    stance: { support: 'Ik steun het', oppose: 'Ik ben ertegen', neutral: 'Geen mening' },
    rsvp: { yes: 'Ja', no: 'Nee', maybe: 'Misschien' },
    result: {
      recorded: { heading: 'Bedankt', text: 'Geregistreerd: {{done}}.' },
      already: { heading: 'Al geregistreerd', text: 'Deze link werd al gebruikt: {{done}}. Verder is er niets veranderd.' },
      pending: { heading: 'Ontvangen', text: 'Je antwoord is ontvangen en wordt zo dadelijk geregistreerd: {{done}}. Je hoeft niet opnieuw te klikken.' },
      formError: 'Vul het formulier volledig in.',
      unsubscribed: { heading: 'Uitgeschreven', text: 'Je ontvangt geen meldingen meer.' },
      erased: { heading: 'Gewist', text: 'Je persoonsgegevens zijn gewist.' },
      rejected: {
        WrongPhase: { heading: 'Niet meer mogelijk', text: 'Het proces is verder gegaan: deze stap is afgesloten. Er is niets veranderd.' },
        Conflict: { heading: 'Al beslist', text: 'Hierover is al een beslissing geregistreerd, of een nieuwere mail vervangt deze (zie de nieuwste mail). Er is niets veranderd.' },
        InvalidDecision: { heading: 'Niet geregistreerd', text: 'Dit antwoord past niet meer bij de huidige stand (de formulering is misschien gewijzigd: zie de nieuwste mail). Er is niets veranderd.' },
        UnknownSubject: { heading: 'Niet geregistreerd', text: 'Waar deze link naar verwijst, bestaat niet meer. Er is niets veranderd.' },
        NotAllowed: { heading: 'Niet geregistreerd', text: 'Deze link laat deze beslissing niet toe. Er is niets veranderd.' },
        closed: { heading: 'Niet meer mogelijk', text: 'Dit deel van het proces is afgelopen. Er is niets veranderd.' },
        Changed: { heading: 'Niet geregistreerd', text: 'De inhoud is gewijzigd sinds deze mail verstuurd werd: gebruik de nieuwste mail. Er is niets veranderd.' },
        other: { heading: 'Niet geregistreerd', text: 'Dit antwoord kon niet geregistreerd worden. Er is niets veranderd.' },
      },
    },
    actionDone: {
      confirm_membership: 'je deelname is bevestigd',
      accept_moderator: 'je hebt de rol van moderator aanvaard',
      approve_consolidation: 'je hebt de formulering goedgekeurd',
      request_change: 'je hebt een wijziging gevraagd',
      report_progress: 'je voortgangsmelding',
      react: 'je reactie',
      rsvp: 'je antwoord',
      unsubscribe: 'je bent uitgeschreven',
      erase_data: 'je gegevens zijn gewist',
    },
    invalid: {
      heading: 'Deze link kan niet gebruikt worden',
      text: 'Hij is onbekend, verlopen of al gebruikt. Denk je dat dit niet klopt, antwoord dan op de mail die je kreeg.',
    },
    rateLimited: { heading: 'Te veel pogingen', text: 'Wacht een minuut en probeer opnieuw.' },
    unavailable: { heading: 'Tijdelijk niet beschikbaar', text: 'Probeer het over enkele minuten opnieuw.' },
  },
};
