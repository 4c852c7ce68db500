import type { Catalog } from './types';

export const fr: Catalog = {
  locale: 'fr-BE',
  common: {
    greeting: 'Bonjour {{name}},',
    greetingRole: 'Bonjour,',
    colon: ' :',
    signature: "L'équipe Vie coopérative de Smart",
    linkNote: "Ce lien est personnel : il agit en votre nom. Il est valable jusqu'au {{expires}}.",
    unsubscribeFooter: 'Vous recevez ce message en tant que sociétaire de Smart. Pour ne plus recevoir ces notifications :',
    erasedMember: 'membre effacé',
    onlineGroup: 'en ligne',
    groupTitle: '{{theme}} ({{place}})',
    minutes: 'minutes',
    joinLink: 'Rejoindre',
    sections: {
      recommendations: 'Recommandations',
      videoconferences: 'Visioconférences',
      ongoingProjects: 'Projets en cours',
      legalConstraints: 'Contraintes légales',
      financialConstraints: 'Contraintes financières',
      notes: 'Remarques',
      details: 'Détails',
    },
    alerts: {
      smtp_failures: "{{failed}} messages ({{purpose}}) n'ont pas pu être distribués : le serveur de messagerie les a refusés, ou leur sort est inconnu.",
      approval_escalated: "Le modérateur ou la modératrice de {{groupTitle}} n'a pas répondu dans le délai : l'approbation de la formulation vous revient.",
      board_late: "Le conseil d'administration {{country}} a dépassé son délai avec {{undecided}} recommandations sans décision.",
      public_review_blocked: "La consultation publique ne peut pas s'ouvrir : {{blocked}} approbations sont encore ouvertes.",
      other: 'Le processus signale : {{kind}}.',
    },
  },
  mail: {
    group_invitation: {
      subject: 'Smart in Progress : confirmez votre participation au groupe {{groupTitle}}',
      paragraphs: [
        'Vous vous êtes inscrit·e au groupe de travail {{groupTitle}} de Smart in Progress {{cycleLabel}}.',
        'Merci de confirmer votre participation : le groupe démarre dès que suffisamment de sociétaires ont confirmé.',
      ],
      action: 'Je confirme ma participation',
    },
    moderator_invitation: {
      subject: 'Smart in Progress : acceptez-vous de modérer le groupe {{groupTitle}} ?',
      paragraphs: [
        'Vous êtes proposé·e pour modérer le groupe de travail {{groupTitle}} ({{cycleLabel}}).',
        "La modératrice ou le modérateur anime les réunions du groupe et, à la fin, approuve la manière dont l'équipe Vie coopérative a fusionné les recommandations du groupe dans le document commun.",
      ],
      action: "J'accepte de modérer",
    },
    framing_brief: {
      subject: 'Smart in Progress : la note de cadrage de {{themeTitle}}',
      paragraphs: [
        'Votre groupe {{groupTitle}} commence ses travaux.',
        'Voici ce que le groupe doit garder en tête dès le départ : les projets en cours et les contraintes légales et financières du thème {{themeTitle}}.',
      ],
    },
    group_fallen_back: {
      subject: 'Smart in Progress : votre groupe continue en ligne',
      paragraphs: [
        "Le groupe {{groupTitle}} n'a pas atteint le nombre de participant·es nécessaire.",
        "Vous participez désormais au groupe en ligne du thème {{themeTitle}}, avec des sociétaires d'autres bureaux : {{fallbackTitle}}.",
      ],
    },
    group_cancelled: {
      subject: 'Smart in Progress : le groupe {{groupTitle}} est annulé',
      paragraphs: [
        "Le groupe de travail {{groupTitle}} n'aura pas lieu cette année.",
        'Merci pour votre intérêt. Vous serez invité·e à réagir à toutes les recommandations lors de la consultation publique.',
      ],
    },
    submission_reminder: {
      subject: 'Smart in Progress : les recommandations de votre groupe sont attendues pour le {{deadline}}',
      paragraphs: [
        "Le groupe {{groupTitle}} n'a pas encore déposé ses recommandations. L'échéance est le {{deadline}}.",
        "Les recommandations doivent être claires et concises, et dire comment elles s'inscrivent dans les projets en cours de Smart.",
      ],
    },
    approval_request: {
      subject: 'Smart in Progress : approuvez la formulation consolidée de {{groupTitle}}',
      paragraphs: [
        "L'équipe Vie coopérative a fusionné les recommandations de tous les groupes en un seul document (version {{version}}).",
        'Merci de vérifier comment les recommandations de votre groupe ont été fusionnées ou reformulées, puis d’approuver la formulation ou de demander une modification avant le {{deadline}}.',
      ],
      action: 'Approuver ou demander une modification',
    },
    approval_reminder: {
      subject: 'Rappel : approuvez la formulation consolidée de {{groupTitle}} avant le {{deadline}}',
      paragraphs: [
        "Nous n'avons pas encore reçu votre réponse sur la formulation consolidée des recommandations de votre groupe (version {{version}}).",
        "Sans réponse le {{deadline}}, c'est l'équipe Vie coopérative qui tranche.",
      ],
      action: 'Approuver ou demander une modification',
    },
    public_review_invitation: {
      subject: 'Smart in Progress {{cycleLabel}} : les recommandations sont ouvertes à vos réactions',
      paragraphs: [
        "Les groupes de travail ont produit {{recommendationCount}} recommandations. Jusqu'au {{closesAt}}, chaque sociétaire peut les lire et réagir.",
        'Des visioconférences ouvertes à tous les sociétaires en débattent ; leurs invitations sont jointes.',
      ],
      action: "Lire, réagir et s'inscrire",
    },
    videoconference_update: {
      subject: 'Smart in Progress : visioconférence {{title}}, {{when}}',
      paragraphs: [
        'La visioconférence {{title}} a lieu le {{when}} ({{duration}} minutes).',
        "L'invitation mise à jour est jointe.",
      ],
      action: 'Dites-nous si vous venez',
    },
    videoconference_cancelled: {
      subject: 'Annulée : visioconférence {{title}}, {{when}}',
      paragraphs: ['La visioconférence {{title}} du {{when}} est annulée.', "L'annulation est jointe pour votre agenda."],
    },
    board_reminder: {
      subject: "Smart in Progress : {{undecided}} recommandations attendent une décision du conseil d'administration {{country}}",
      paragraphs: [
        "L'échéance du conseil est le {{deadline}}. {{undecided}} recommandations qui concernent {{country}} n'ont pas encore de décision.",
      ],
    },
    staff_alert: {
      subject: 'Smart in Progress : intervention nécessaire ({{kind}})',
      paragraphs: ['{{alertText}}'],
    },
    progress_request: {
      subject: 'Smart in Progress : où en est le projet {{projectTitle}} ?',
      paragraphs: ['Vous suivez le projet {{projectTitle}}. Dites-nous où il en est ; cela prend une minute.'],
      action: "Donner l'avancement",
    },
    assembly_outcome: {
      subject: "Smart in Progress {{cycleLabel}} : les décisions de l'assemblée générale ({{country}})",
      paragraphs: [
        "L'assemblée générale a ratifié {{ratified}} recommandations pour {{country}}. Elles deviennent des projets du plan stratégique de Smart, dont l'avancement sera suivi.",
      ],
    },
  },
  page: {
    siteName: 'Smart in Progress',
    asWhom: 'Vous agissez en tant que {{name}}.',
    validUntil: "Ce lien est valable jusqu'au {{date}}.",
    confirm: {
      membership: {
        heading: 'Confirmez votre participation',
        text: 'Vous confirmez participer au groupe de travail {{groupTitle}} ({{cycleLabel}}).',
        button: 'Je confirme ma participation',
      },
      moderator: {
        heading: 'Accepter de modérer',
        text: 'Vous acceptez de modérer le groupe de travail {{groupTitle}} ({{cycleLabel}}).',
        button: "J'accepte",
      },
      approval: {
        heading: 'Approuver la formulation consolidée',
        text: 'La version {{version}} du document consolidé formule ainsi les recommandations de votre groupe ({{groupTitle}}).',
        button: 'Approuver cette formulation',
        changeHeading: 'Ou demander une modification',
        commentLabel: 'Que faut-il changer ?',
        changeButton: 'Demander cette modification',
        noItems: 'Aucune recommandation de cette version ne vient de votre groupe.',
      },
      progress: {
        heading: "Donner l'avancement",
        text: 'Où en est le projet {{projectTitle}} ?',
        button: 'Envoyer',
        percentLabel: 'Avancement (pour cent)',
        noteLabel: "Qu'est-ce qui a changé depuis la dernière fois ?",
        doneLabel: 'Le projet est terminé',
      },
      review: {
        heading: 'Consultation publique {{cycleLabel}}',
        text: 'Choisissez une recommandation pour réagir, ou une visioconférence pour vous inscrire.',
        recommendations: 'Recommandations',
        videoconferences: 'Visioconférences',
        open: 'Ouvrir',
      },
      react: {
        heading: 'Réagir à la recommandation {{number}}',
        text: '{{title}}',
        button: 'Envoyer ma réaction',
        stanceLabel: 'Votre position',
        commentLabel: 'Commentaire (facultatif)',
      },
      rsvp: {
        heading: 'Visioconférence {{title}}',
        text: '{{when}} ({{duration}} minutes).',
        button: 'Envoyer ma réponse',
        answerLabel: 'Serez-vous présent·e ?',
      },
      unsubscribe: {
        heading: 'Ne plus recevoir de notifications',
        text: 'Vous ne recevrez plus les notifications de Smart in Progress (consultation publique, visioconférences, résultats). Les messages sur un groupe dont vous faites partie continuent.',
        button: 'Me désinscrire',
      },
      erase: {
        heading: 'Effacer mes données personnelles',
        text: 'Votre nom et votre adresse sont effacés de Smart in Progress ; vos contributions restent, comme « membre effacé ». Ceci est irréversible.',
        button: 'Effacer mes données',
        confirmLabel: 'Je comprends que ceci est irréversible',
      },
    },
    stance: { support: 'Je soutiens', oppose: "Je m'oppose", neutral: 'Sans avis' },
    rsvp: { yes: 'Oui', no: 'Non', maybe: 'Peut-être' },
    result: {
      recorded: { heading: 'Merci', text: 'Enregistré : {{done}}.' },
      already: { heading: 'Déjà enregistré', text: 'Ce lien a déjà été utilisé : {{done}}. Rien d’autre n’a changé.' },
      pending: { heading: 'Bien reçu', text: 'Votre réponse est reçue et sera enregistrée dans un instant : {{done}}. Inutile de cliquer à nouveau.' },
      formError: 'Merci de compléter le formulaire.',
      unsubscribed: { heading: 'Désinscription faite', text: 'Vous ne recevrez plus de notifications.' },
      erased: { heading: 'Données effacées', text: 'Vos données personnelles sont effacées.' },
      rejected: {
        WrongPhase: { heading: 'Plus possible', text: 'Le processus a avancé : cette étape est close. Rien n’a été modifié.' },
        Conflict: { heading: 'Déjà décidé', text: 'Une décision est déjà enregistrée, ou un message plus récent remplace celui-ci (voyez le plus récent). Rien n’a été modifié.' },
        InvalidDecision: { heading: 'Non enregistré', text: 'Cette réponse ne correspond plus à la situation (la formulation a peut-être changé : voyez le message le plus récent). Rien n’a été modifié.' },
        UnknownSubject: { heading: 'Non enregistré', text: 'Ce à quoi ce lien se rapporte n’existe plus. Rien n’a été modifié.' },
        NotAllowed: { heading: 'Non enregistré', text: 'Ce lien ne permet pas cette décision. Rien n’a été modifié.' },
        closed: { heading: 'Plus possible', text: 'Cette partie du processus est terminée. Rien n’a été modifié.' },
        Changed: { heading: 'Non enregistré', text: 'Le contenu a changé depuis l’envoi de ce message : utilisez le message le plus récent. Rien n’a été modifié.' },
        other: { heading: 'Non enregistré', text: 'Cette réponse n’a pas pu être enregistrée. Rien n’a été modifié.' },
      },
    },
    actionDone: {
      confirm_membership: 'votre participation est confirmée',
      accept_moderator: 'vous avez accepté de modérer',
      approve_consolidation: 'vous avez approuvé la formulation',
      request_change: 'vous avez demandé une modification',
      report_progress: "votre point d'avancement",
      react: 'votre réaction',
      rsvp: 'votre réponse',
      unsubscribe: 'vous êtes désinscrit·e',
      erase_data: 'vos données sont effacées',
    },
    invalid: {
      heading: 'Ce lien ne peut pas être utilisé',
      text: 'Il est inconnu, expiré ou déjà utilisé. Si vous pensez que c’est une erreur, répondez au message reçu.',
    },
    rateLimited: { heading: 'Trop de tentatives', text: 'Merci de patienter une minute avant de réessayer.' },
    unavailable: { heading: 'Temporairement indisponible', text: 'Merci de réessayer dans quelques minutes.' },
  },
};
