import type { Catalog } from './types';

export const en: Catalog = {
  locale: 'en-GB',
  common: {
    greeting: 'Hello {{name}},',
    greetingRole: 'Hello,',
    colon: ':',
    signature: 'The Cooperative Life team of Smart',
    linkNote: 'This link is personal: it acts in your name. It is valid until {{expires}}.',
    unsubscribeFooter: 'You receive this mail as a member of Smart. To stop these notifications:',
    erasedMember: 'erased member',
    onlineGroup: 'online',
    groupTitle: '{{theme}} ({{place}})',
    minutes: 'minutes',
    joinLink: 'Join',
    sections: {
      recommendations: 'Recommendations',
      videoconferences: 'Videoconferences',
      ongoingProjects: 'Ongoing projects',
      legalConstraints: 'Legal constraints',
      financialConstraints: 'Financial constraints',
      notes: 'Notes',
      details: 'Details',
    },
    alerts: {
      smtp_failures: '{{failed}} mails ({{purpose}}) could not be delivered: the mail server refused them, or their outcome is unknown.',
      approval_escalated: 'The moderator of {{groupTitle}} did not answer by the deadline: the approval of the wording is now yours to settle.',
      board_late: 'The {{country}} board has passed its deadline with {{undecided}} recommendations undecided.',
      public_review_blocked: 'The public review cannot open: {{blocked}} approvals are still open.',
      other: 'The process reports: {{kind}}.',
    },
  },
  mail: {
    group_invitation: {
      subject: 'Smart in Progress: confirm that you join the group {{groupTitle}}',
      paragraphs: [
        'You signed up for the working group {{groupTitle}} of Smart in Progress {{cycleLabel}}.',
        'Please confirm that you take part: the group starts once enough members have confirmed.',
      ],
      action: 'Confirm my participation',
    },
    moderator_invitation: {
      subject: 'Smart in Progress: will you moderate the group {{groupTitle}}?',
      paragraphs: [
        'You are proposed as the moderator of the working group {{groupTitle}} ({{cycleLabel}}).',
        "The moderator leads the group's meetings and, at the end, approves how the Cooperative Life team merged the group's recommendations into the common document.",
      ],
      action: 'Accept the moderator role',
    },
    framing_brief: {
      subject: 'Smart in Progress: the framing brief of {{themeTitle}}',
      paragraphs: [
        'Your group {{groupTitle}} starts its work.',
        'Here is what the group should keep in mind from the start: the ongoing projects and the legal and financial constraints of the theme {{themeTitle}}.',
      ],
    },
    group_fallen_back: {
      subject: 'Smart in Progress: your group continues online',
      paragraphs: [
        'The group {{groupTitle}} did not reach the number of participants it needs.',
        'You now take part in the online group of the theme {{themeTitle}}, with members from other offices: {{fallbackTitle}}.',
      ],
    },
    group_cancelled: {
      subject: 'Smart in Progress: the group {{groupTitle}} is cancelled',
      paragraphs: [
        'The working group {{groupTitle}} will not take place this year.',
        'Thank you for your interest. You will be invited to react to all recommendations during the public review.',
      ],
    },
    submission_reminder: {
      subject: "Smart in Progress: your group's recommendations are due on {{deadline}}",
      paragraphs: [
        'The group {{groupTitle}} has not submitted its recommendations yet. The deadline is {{deadline}}.',
        "Recommendations should be clear and concise, and say how they fit Smart's ongoing projects.",
      ],
    },
    approval_request: {
      subject: 'Smart in Progress: approve the consolidated wording of {{groupTitle}}',
      paragraphs: [
        'The Cooperative Life team has merged the recommendations of all groups into one document (version {{version}}).',
        "Please check how your group's recommendations were merged or reworded, then approve the wording or ask for a change before {{deadline}}.",
      ],
      action: 'Approve or ask for a change',
    },
    approval_reminder: {
      subject: 'Reminder: approve the consolidated wording of {{groupTitle}} before {{deadline}}',
      paragraphs: [
        "We have not received your answer about the consolidated wording of your group's recommendations (version {{version}}).",
        'Without an answer by {{deadline}}, the Cooperative Life team settles it.',
      ],
      action: 'Approve or ask for a change',
    },
    public_review_invitation: {
      subject: 'Smart in Progress {{cycleLabel}}: the recommendations are open for your reactions',
      paragraphs: [
        'The working groups have produced {{recommendationCount}} recommendations. Until {{closesAt}}, every member can read them and react.',
        'Videoconferences open to all members discuss them; their invitations are attached.',
      ],
      action: 'Read, react and register',
    },
    videoconference_update: {
      subject: 'Smart in Progress: videoconference {{title}}, {{when}}',
      paragraphs: [
        'The videoconference {{title}} takes place on {{when}} ({{duration}} minutes).',
        'The updated invitation is attached.',
      ],
      action: 'Tell us whether you come',
    },
    videoconference_cancelled: {
      subject: 'Cancelled: videoconference {{title}}, {{when}}',
      paragraphs: ['The videoconference {{title}} of {{when}} is cancelled.', 'The cancellation is attached for your calendar.'],
    },
    board_reminder: {
      subject: 'Smart in Progress: {{undecided}} recommendations await a decision of the {{country}} board',
      paragraphs: [
        "The board's deadline is {{deadline}}. {{undecided}} recommendations concerning {{country}} have no decision yet.",
      ],
    },
    staff_alert: {
      subject: 'Smart in Progress: attention needed ({{kind}})',
      paragraphs: ['{{alertText}}'],
    },
    progress_request: {
      subject: 'Smart in Progress: how is the project {{projectTitle}} going?',
      paragraphs: ['You follow up the project {{projectTitle}}. Please tell us where it stands; it takes a minute.'],
      action: 'Report progress',
    },
    assembly_outcome: {
      subject: "Smart in Progress {{cycleLabel}}: the general assembly's decisions ({{country}})",
      paragraphs: [
        "The general assembly ratified {{ratified}} recommendations for {{country}}. They become projects of Smart's strategic plan, and their progress will be followed.",
      ],
    },
  },
  page: {
    siteName: 'Smart in Progress',
    asWhom: 'You act as {{name}}.',
    validUntil: 'This link is valid until {{date}}.',
    confirm: {
      membership: {
        heading: 'Confirm your participation',
        text: 'You confirm that you take part in the working group {{groupTitle}} ({{cycleLabel}}).',
        button: 'Confirm my participation',
      },
      moderator: {
        heading: 'Accept the moderator role',
        text: 'You accept to moderate the working group {{groupTitle}} ({{cycleLabel}}).',
        button: 'Accept the role',
      },
      approval: {
        heading: 'Approve the consolidated wording',
        text: "Version {{version}} of the consolidated document words your group's recommendations ({{groupTitle}}) as follows.",
        button: 'Approve this wording',
        changeHeading: 'Or ask for a change',
        commentLabel: 'What should change?',
        changeButton: 'Ask for this change',
        noItems: 'No recommendation of this version comes from your group.',
      },
      progress: {
        heading: 'Report progress',
        text: 'Where does the project {{projectTitle}} stand?',
        button: 'Send this report',
        percentLabel: 'Progress (percent)',
        noteLabel: 'What happened since the last report?',
        doneLabel: 'The project is done',
      },
      review: {
        heading: 'Public review {{cycleLabel}}',
        text: 'Choose a recommendation to react to, or a videoconference to register for.',
        recommendations: 'Recommendations',
        videoconferences: 'Videoconferences',
        open: 'Open',
      },
      react: {
        heading: 'React to recommendation {{number}}',
        text: '{{title}}',
        button: 'Send my reaction',
        stanceLabel: 'Your position',
        commentLabel: 'Comment (optional)',
      },
      rsvp: {
        heading: 'Videoconference {{title}}',
        text: '{{when}} ({{duration}} minutes).',
        button: 'Send my answer',
        answerLabel: 'Will you come?',
      },
      unsubscribe: {
        heading: 'Stop notifications',
        text: 'You will no longer receive the notifications of Smart in Progress (public review, videoconferences, results). Mails about a group you joined still come.',
        button: 'Unsubscribe',
      },
      erase: {
        heading: 'Erase my personal data',
        text: 'Your name and address are erased from Smart in Progress; what you contributed stays, as "erased member". This cannot be undone.',
        button: 'Erase my data',
        confirmLabel: 'I understand that this cannot be undone',
      },
    },
    stance: { support: 'I support it', oppose: 'I oppose it', neutral: 'No opinion' },
    rsvp: { yes: 'Yes', no: 'No', maybe: 'Maybe' },
    result: {
      recorded: { heading: 'Thank you', text: 'Recorded: {{done}}.' },
      already: { heading: 'Already recorded', text: 'This link was already used: {{done}}. Nothing else changed.' },
      pending: { heading: 'Received', text: 'Your answer is received and will be recorded in a moment: {{done}}. You do not need to click again.' },
      formError: 'Please fill in the form completely.',
      unsubscribed: { heading: 'Unsubscribed', text: 'You will no longer receive notifications.' },
      erased: { heading: 'Erased', text: 'Your personal data are erased.' },
      rejected: {
        WrongPhase: { heading: 'Not possible any more', text: 'The process has moved on: this step is closed. Nothing was changed.' },
        Conflict: { heading: 'Already decided', text: 'A decision was already recorded here, or a newer mail replaced this one (see the newest mail). Nothing was changed.' },
        InvalidDecision: { heading: 'Not recorded', text: 'This answer does not fit the current state (the wording may have changed: see the newest mail). Nothing was changed.' },
        UnknownSubject: { heading: 'Not recorded', text: 'What this link refers to no longer exists. Nothing was changed.' },
        NotAllowed: { heading: 'Not recorded', text: 'This link does not allow this decision. Nothing was changed.' },
        closed: { heading: 'Not possible any more', text: 'This part of the process is finished. Nothing was changed.' },
        Changed: { heading: 'Not recorded', text: 'The content changed since this mail was sent: please use the newest mail. Nothing was changed.' },
        other: { heading: 'Not recorded', text: 'This answer could not be recorded. Nothing was changed.' },
      },
    },
    actionDone: {
      confirm_membership: 'your participation is confirmed',
      accept_moderator: 'you accepted the moderator role',
      approve_consolidation: 'you approved the wording',
      request_change: 'you asked for a change',
      report_progress: 'your progress report',
      react: 'your reaction',
      rsvp: 'your answer',
      unsubscribe: 'you are unsubscribed',
      erase_data: 'your data are erased',
    },
    invalid: {
      heading: 'This link cannot be used',
      text: 'It is unknown, expired or already used. If you think this is wrong, answer the mail you received.',
    },
    rateLimited: { heading: 'Too many attempts', text: 'Please wait a minute and try again.' },
    unavailable: { heading: 'Temporarily unavailable', text: 'Please try again in a few minutes.' },
  },
};
