import type { DemoTool } from '../demo-tool.js';

const STAATSBLAD = 'https://www.ejustice.just.fgov.be/';

// Parquet de Hautrive (fictif), Belgium: declarations in French, one in Dutch.
export const BE_PROSECUTION: DemoTool[] = [
  {
    agency: 'be-prosecution', name: 'Tri des procès-verbaux de roulage',
    description: 'Regroupe les procès-verbaux de roulage par type d’infraction.',
    purpose: 'Traiter en série les infractions simples.',
    provider: ['in-house', 'BE'], version: '1.4', procurement: 'in_house',
    risk: 'minimal_risk', rationale: 'Classe des documents par type d’infraction pour l’organisation du travail ; ne décide rien au sujet des personnes.',
    lifecycle: { status: 'in_use', inUseSince: '2022-02-01' }, crimeAreas: ['traffic_offences'],
    transparency: {
      modelType: 'Règles et classifieur de textes simple.',
      inputs: 'Les procès-verbaux de roulage reçus des zones de police.',
      outputs: 'Une pile par type d’infraction (vitesse, stationnement, feu rouge…) dans le logiciel du parquet.',
      humanOversight: {
        decideNotToUse: 'Les juristes peuvent reclasser tout procès-verbal.',
        interveneOrStop: 'Le magistrat de référence roulage peut arrêter le tri automatique.',
      },
      humanReview: 'Chaque pile est traitée par un juriste, qui vérifie le classement de chaque procès-verbal.',
      sourceCode: { availability: 'open_source' },
      logging: { retentionMonths: 6 },
      affectedPersons: { howToContest: 'Les suites données à une infraction se contestent devant le tribunal de police.' },
    },
    legalBasis: [{ jurisdiction: 'BE', instrument: 'Loi du 16 mars 1968 relative à la police de la circulation routière', url: STAATSBLAD }],
    outcome: 'published',
  },
  {
    agency: 'be-prosecution', language: 'nl', name: 'Evaluatie van recidiverisico',
    description: 'Schat het risico op recidive bij voorwaardelijke invrijheidstelling.',
    purpose: 'Advies aan de strafuitvoeringsrechtbank.',
    functions: ['berekent een risicoscore op basis van het strafdossier', 'toont de factoren die de score bepalen'],
    provider: ['RisicoLab BV', 'NL'], version: '1.1', procurement: 'research_partnership',
    risk: 'high_risk', annex: '8(a)', rationale: 'Ondersteunt het advies van het openbaar ministerie aan de strafuitvoeringsrechtbank bij het toepassen van het recht op de feiten (bijlage III, punt 8(a)).',
    article5: { d: { performs: false, explanation: 'De score ondersteunt een beoordeling door een magistraat op basis van objectieve en controleerbare feiten uit het strafdossier.' } },
    lifecycle: { status: 'pilot', pilotSince: '2025-09-01' }, crimeAreas: ['violent_crime'],
    transparency: {
      modelType: 'Logistische regressie met een beperkt aantal gedocumenteerde variabelen.',
      inputs: 'Gegevens uit het strafdossier: eerdere veroordelingen, leeftijd bij het eerste feit, naleving van eerdere voorwaarden.',
      outputs: 'Een risicoklasse (laag, gemiddeld, hoog) met de bijdrage van elke variabele, als bijlage bij het advies.',
      performance: [{ metric: 'AUC', value: '0,71', testConditions: 'Invrijheidstellingen van 2016–2019 met opvolging over drie jaar' }],
      explainability: 'De bijdrage van elke variabele aan de score wordt in gewone taal vermeld.',
      humanOversight: {
        understandCapacities: 'De parketmagistraten volgen een opleiding over de grenzen van de score.',
        automationBias: 'Het advies moet ook de eigen motivering van de magistraat bevatten.',
        interpretOutput: 'De klasse wordt getoond met de foutmarge van het model.',
        decideNotToUse: 'De magistraat kan adviseren zonder de score.',
        interveneOrStop: 'De procureur des Konings kan de proef stopzetten.',
      },
      humanReview: 'De strafuitvoeringsrechtbank beslist; de score is een bijlage bij het advies, geen beslissing.',
      sourceCode: { availability: 'available_to_oversight' },
      logging: { retentionMonths: 60 },
      affectedPersons: {
        informationGiven: 'De veroordeelde en zijn advocaat krijgen de score en de factoren bij het advies.',
        howToContest: 'De veroordeelde kan de score betwisten voor de strafuitvoeringsrechtbank.',
      },
    },
    legalBasis: [{ jurisdiction: 'BE', instrument: 'Wet van 17 mei 2006 betreffende de externe rechtspositie van de veroordeelden tot een vrijheidsstraf', url: STAATSBLAD, summary: 'Regelt de voorwaardelijke invrijheidstelling en het advies van het openbaar ministerie.' }],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2025-08-01',
        processes: 'Advies van het openbaar ministerie over verzoeken tot voorwaardelijke invrijheidstelling.',
        periodAndFrequency: 'Bij elk verzoek, ongeveer 300 per jaar, tijdens een proef van twee jaar.',
        affectedCategories: ['veroordeelden die invrijheidstelling vragen', 'slachtoffers'],
        risksOfHarm: [
          { right: 'Recht op vrijheid (Handvest, art. 6)', risk: 'Een te hoge score die tot een negatief advies leidt.', likelihood: 'medium', severity: 'high' },
          { right: 'Non-discriminatie (Handvest, art. 21)', risk: 'Hogere scores voor jonge veroordeelden en veroordeelden zonder Belgische nationaliteit.', likelihood: 'medium', severity: 'high' },
        ],
        humanOversight: 'De magistraat motiveert zijn advies zelf; de rechtbank beslist.',
        measuresIfRisksMaterialise: 'Stopzetting van de proef en herbeoordeling van de adviezen die op de score steunden.',
        marketSurveillanceNotified: true,
      },
      bias: {
        evaluatedOn: '2025-07-15',
        dataset: { description: 'Invrijheidstellingen van 2016–2019 met opvolging over drie jaar.', period: '2016–2022', size: 2400 },
        sensitiveAttributes: [
          { attribute: 'leeftijd', howObtained: 'Geboortedatum in het strafdossier' },
          { attribute: 'nationaliteit', howObtained: 'Rijksregister' },
        ],
        referenceGroup: 'veroordeelden van 25 jaar en ouder',
        groups: [
          { group: 'veroordeelden van 25 jaar en ouder', n: 1850, fpr: 0.19 },
          { group: 'veroordeelden jonger dan 25 jaar', n: 550, fpr: 0.23 },
          { group: 'veroordeelden zonder Belgische nationaliteit', n: 610, fpr: 0.22 },
        ],
        disparityMeasure: 'ratio',
        disparities: [
          { group: 'veroordeelden jonger dan 25 jaar', metric: 'fpr', value: 1.21, tolerance: 1.25, status: 'pass' },
          { group: 'veroordeelden zonder Belgische nationaliteit', metric: 'fpr', value: 1.16, tolerance: 1.25, status: 'pass' },
        ],
        method: 'Verhouding van de fout-positieve percentages tot de referentiegroep; tolerantie 0,8–1,25.',
      },
      huderia: {
        assessedOn: '2025-08-10',
        contextAnalysis: 'Overvolle gevangenissen en druk om sneller over invrijheidstelling te beslissen.',
        stakeholderEngagement: 'Gesprekken met de balie, slachtofferorganisaties en de Centrale Toezichtsraad voor het Gevangeniswezen.',
        impacts: [{ impact: 'Langere detentie door een te voorzichtige score.', scale: 'high', scope: 'individual', probability: 'possible', reversibility: 'irreversible' }],
        mitigationPlan: 'Jaarlijkse herijking, publicatie van de foutmarges en beperking tot een bijlage bij het advies.',
        nextReview: '2026-08-10',
      },
    },
  },
];
