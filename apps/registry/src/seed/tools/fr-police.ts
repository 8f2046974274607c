import type { DemoTool } from '../demo-tool.js';

const LEGIFRANCE = 'https://www.legifrance.gouv.fr/';
const INFORMATIQUE_ET_LIBERTES = {
  jurisdiction: 'FR', instrument: 'Loi n° 78-17 du 6 janvier 1978 relative à l’informatique, aux fichiers et aux libertés', article: 'Titre III', url: LEGIFRANCE,
  summary: 'Transpose la directive (UE) 2016/680 : traitements de données à des fins de prévention et de détection des infractions pénales.',
};

// Direction de la police de Belmont (fictive), France: declarations in French.
export const FR_POLICE: DemoTool[] = [
  {
    agency: 'fr-police', name: "Analyse vidéo d'enregistrements saisis",
    description: 'Repère des objets et véhicules dans des vidéos saisies, a posteriori.',
    purpose: "Accélérer l'exploitation des vidéos dans les enquêtes.",
    provider: ['Vigie Analytique SAS', 'FR'], version: '2.3', procurement: 'framework_agreement',
    risk: 'high_risk', annex: '6(c)', rationale: 'Sert à exploiter des éléments de preuve au cours des enquêtes (annexe III, point 6(c)).',
    article5: { h: { performs: false, explanation: 'Aucune identification biométrique en temps réel : analyse a posteriori de vidéos saisies, sans reconnaissance faciale.' } },
    lifecycle: { status: 'in_use', inUseSince: '2024-06-01' }, crimeAreas: ['terrorism', 'organised_crime'],
    transparency: {
      modelType: "Réseau de neurones de détection d'objets, sans reconnaissance faciale.",
      inputs: 'Vidéos saisies dans le cadre d’une procédure judiciaire (caméras de commerces, téléphones).',
      outputs: 'Une chronologie des passages de véhicules et d’objets recherchés, avec les images correspondantes.',
      humanOversight: {
        understandCapacities: 'Seuls les enquêteurs formés de la cellule d’exploitation y ont accès.',
        automationBias: 'Chaque passage retenu au dossier est vérifié image par image.',
        interpretOutput: 'Les scores de confiance sont affichés à côté des images.',
        decideNotToUse: 'L’enquêteur peut visionner les vidéos sans l’outil.',
        interveneOrStop: 'Le chef de la cellule peut suspendre l’outil.',
      },
      humanReview: 'Un enquêteur vérifie chaque passage avant de le verser en procédure.',
      sourceCode: { availability: 'escrow' },
      logging: { retentionMonths: 36 },
      affectedPersons: { howToContest: 'Les parties peuvent contester les éléments versés au dossier devant la juridiction saisie.' },
    },
    legalBasis: [
      { jurisdiction: 'FR', instrument: 'Code de procédure pénale', article: 'Art. 60', url: LEGIFRANCE, summary: "Permet de recourir à toute personne qualifiée pour des examens techniques." },
      INFORMATIQUE_ET_LIBERTES,
    ],
    outcome: 'published', nonPublic: true,
    assessments: {
      fria: {
        completedOn: '2024-05-02',
        processes: 'Exploitation des vidéos saisies dans les enquêtes pour terrorisme et criminalité organisée.',
        periodAndFrequency: 'À la demande, une trentaine de procédures par an.',
        affectedCategories: ['personnes mises en cause', 'passants filmés'],
        risksOfHarm: [{ right: 'Respect de la vie privée (Charte, art. 7)', risk: 'Traitement d’images de personnes étrangères à l’enquête.', likelihood: 'high', severity: 'low' }],
        humanOversight: 'Vérification de chaque passage par un enquêteur avant versement en procédure.',
        measuresIfRisksMaterialise: 'Effacement des extraits sans lien avec l’enquête et information du magistrat.',
        marketSurveillanceNotified: true,
      },
      dpia: {
        framework: 'led_art_27', completedOn: '2024-04-15', reference: 'AIPD-2024-11',
        summary: 'Risque élevé lié au volume d’images de tiers ; atténué par l’absence de reconnaissance faciale et l’effacement des extraits non retenus.',
        dpoConsulted: true, supervisoryAuthorityConsulted: true,
      },
    },
  },
  {
    agency: 'fr-police', name: 'Traduction automatique des auditions',
    description: 'Traduit les auditions de personnes non francophones, relues par un interprète.',
    purpose: "Disposer d'une traduction de travail en attendant l'interprète.",
    provider: ['Babel Pro SAS', 'FR'], version: '7.0', procurement: 'open_tender',
    risk: 'limited_risk', rationale: "Produit une traduction de travail pour les enquêteurs ; obligations de transparence de l'art. 50.",
    lifecycle: { status: 'in_use', inUseSince: '2024-01-15' }, crimeAreas: ['general', 'human_trafficking'],
    transparency: {
      modelType: 'Modèle de traduction neuronale, 40 langues.',
      inputs: 'La transcription de l’audition dans la langue de la personne entendue.',
      outputs: 'Une traduction en français marquée « traduction automatique, non relue ».',
      humanOversight: {
        automationBias: 'La mention « non relue » reste tant que l’interprète n’a pas validé.',
        decideNotToUse: 'L’enquêteur attend l’interprète quand l’enjeu le justifie.',
        interveneOrStop: 'Le commissaire peut désactiver l’outil pour une langue dont la qualité est insuffisante.',
      },
      humanReview: 'Un interprète assermenté relit la traduction avant son versement au dossier.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 12 },
      affectedPersons: {
        informationGiven: 'La personne entendue est informée qu’une traduction automatique sert de support provisoire.',
        howToContest: 'La personne ou son avocat peuvent demander une nouvelle traduction par un interprète.',
      },
    },
    legalBasis: [{ jurisdiction: 'FR', instrument: 'Code de procédure pénale', article: 'Art. 803-5', url: LEGIFRANCE, summary: "Droit à l'interprétation et à la traduction des pièces essentielles." }],
    outcome: 'published',
    finding: { severity: 'medium', title: 'Absence de relecture systématique', body: 'Certaines traductions ont été versées au dossier sans relecture.' },
  },
  {
    agency: 'fr-police', name: 'Détection de fraudes aux prestations',
    description: "Attribue un score de risque de fraude aux plaintes pour vol déposées en vue d'une indemnisation.",
    purpose: 'Cibler les vérifications avant transmission des plaintes aux assureurs.',
    provider: ['ScoreFrance SAS', 'FR'], version: '1.0', procurement: 'direct_award',
    risk: 'high_risk', annex: '6(d)', rationale: 'Évalue le risque qu’une personne commette une infraction (annexe III, point 6(d)).',
    lifecycle: { status: 'planned', plannedSince: '2026-03-01' }, crimeAreas: ['fraud'],
    transparency: {
      modelType: 'Régression logistique sur les données de la plainte.',
      inputs: 'Montant déclaré, délai entre les faits et la plainte, plaintes antérieures du plaignant.',
      outputs: 'Un score de risque de fraude de 0 à 100.',
      humanOversight: { decideNotToUse: 'L’enquêteur décide de toute vérification.' },
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 12 },
      affectedPersons: { howToContest: 'Le plaignant pourrait s’adresser au commissariat.' },
    },
    legalBasis: [INFORMATIQUE_ET_LIBERTES],
    outcome: 'rejected',
    rejectedBecause: 'La base légale invoquée ne couvre pas le profilage des plaignants ; revoir la déclaration.',
  },
];
