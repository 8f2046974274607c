import type { DemoTool } from '../demo-tool.js';

const SUIN = 'https://www.suin-juriscol.gov.co/';

// Ministerio de Justicia de Nueva Esperanza (ficticio), Colombia: declarations in Spanish.
export const CO_MINISTRY: DemoTool[] = [
  {
    agency: 'co-ministry', name: 'Asignador de defensores públicos',
    description: 'Propone la asignación de defensores según carga y especialidad.',
    purpose: 'Equilibrar la carga de trabajo de la defensoría pública.',
    functions: ['estima la complejidad de cada caso nuevo', 'propone un defensor con carga disponible y la especialidad adecuada'],
    provider: ['in-house', 'CO'], version: '2.2', procurement: 'in_house',
    risk: 'high_risk', annex: '8(a)', rationale: 'Interviene en la organización de la defensa en procesos penales, con efecto en el acceso a la justicia (anexo III, punto 8(a)).',
    lifecycle: { status: 'in_use', pilotSince: '2023-10-01', inUseSince: '2024-04-01' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Optimización con restricciones y un clasificador de complejidad de casos.',
      inputs: 'Tipo de delito, número de personas procesadas, necesidad de intérprete, carga y especialidad de cada defensor.',
      outputs: 'Una propuesta de defensor por caso, con la carga resultante, para la coordinación regional.',
      performance: [{ metric: 'propuestas aceptadas sin cambios', value: '88 %', testConditions: 'Asignaciones de 2024 en tres regionales' }],
      humanOversight: {
        understandCapacities: 'Los coordinadores regionales conocen las reglas de asignación y sus límites.',
        automationBias: 'La propuesta indica siempre una segunda opción.',
        interpretOutput: 'La complejidad estimada se explica por los factores del caso.',
        decideNotToUse: 'El coordinador puede asignar otro defensor dejando constancia del motivo.',
        interveneOrStop: 'La dirección de la defensoría puede volver a la asignación manual.',
      },
      humanReview: 'El coordinador regional aprueba cada asignación.',
      sourceCode: { availability: 'open_source' },
      logging: { retentionMonths: 24 },
      affectedPersons: {
        informationGiven: 'La persona usuaria recibe el nombre y contacto de su defensor en 24 horas.',
        howToContest: 'La persona usuaria puede pedir el cambio de defensor ante la coordinación regional.',
      },
    },
    legalBasis: [
      { jurisdiction: 'CO', instrument: 'Ley 941 de 2005 (Sistema Nacional de Defensoría Pública)', url: SUIN, summary: 'Organiza la prestación del servicio de defensoría pública.' },
      { jurisdiction: 'CO', instrument: 'Ley Estatutaria 1581 de 2012', url: SUIN, summary: 'Régimen general de protección de datos personales.' },
    ],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2024-03-10',
        processes: 'Asignación de defensores públicos a personas procesadas sin abogado de confianza.',
        periodAndFrequency: 'Cada caso nuevo, unas 1 500 asignaciones al mes.',
        affectedCategories: ['personas procesadas', 'defensores públicos'],
        risksOfHarm: [
          { right: 'Garantías judiciales y derecho de defensa (Convención Americana, art. 8)', risk: 'Casos complejos asignados a defensores con poca experiencia.', likelihood: 'medium', severity: 'high' },
          { right: 'Igualdad (Convención Americana, art. 24)', risk: 'Esperas más largas para quienes necesitan intérprete de lengua indígena.', likelihood: 'medium', severity: 'medium' },
        ],
        humanOversight: 'Aprobación de cada asignación por el coordinador regional.',
        measuresIfRisksMaterialise: 'Reasignación inmediata y revisión mensual de los casos complejos.',
        marketSurveillanceNotified: false,
      },
      gender_impact: {
        assessedOn: '2024-03-20', relevance: 'relevant',
        rationale: 'Las mujeres procesadas, a menudo cabeza de familia, dependen más de la defensoría pública y tienen necesidades propias (p. ej., casos de microtráfico ligados a violencia de pareja).',
        sexDisaggregatedData: { available: true, description: 'Sexo de las personas usuarias y de los defensores.' },
        analysis: 'El asignador no usa el sexo; las mujeres usuarias reciben defensores con experiencia similar, pero pocas veces defensoras especializadas en enfoque de género.',
        expectedEffect: 'maintains', intersectionalFactors: ['pertenencia étnica', 'ruralidad', 'maternidad'],
        proposals: ['Añadir la especialidad en enfoque de género como criterio cuando la persona usuaria lo pida.'],
        oecdDacMarker: 1, markerCriteria: 'La igualdad de género es un objetivo significativo: el plan de la defensoría incluye metas de atención con enfoque de género.',
      },
      bias: {
        evaluatedOn: '2024-03-15',
        dataset: { description: 'Asignaciones propuestas en 2023 en tres regionales.', period: '2023', size: 18000 },
        sensitiveAttributes: [
          { attribute: 'sexo de la persona usuaria', howObtained: 'Registrado en la solicitud de defensa' },
          { attribute: 'necesidad de intérprete de lengua indígena', howObtained: 'Registrada en la solicitud de defensa' },
        ],
        referenceGroup: 'hombres usuarios',
        groups: [
          { group: 'hombres usuarios', n: 15100, selectionRate: 0.34 },
          { group: 'mujeres usuarias', n: 2700, selectionRate: 0.32 },
          { group: 'personas que requieren intérprete de lengua indígena', n: 200, selectionRate: 0.27 },
        ],
        disparityMeasure: 'ratio',
        minimumGroupSize: 300,
        disparities: [
          { group: 'mujeres usuarias', metric: 'selection_rate', value: 0.94, tolerance: 0.8, status: 'pass' },
          { group: 'personas que requieren intérprete de lengua indígena', metric: 'selection_rate', value: 0.79, tolerance: 0.8, status: 'undetermined' },
        ],
        method: 'Cociente de la proporción de casos asignados a un defensor con más de cinco años de experiencia; tolerancia 0,8–1,25; menos de 300 casos: indeterminado.',
        mitigations: ['Revisión manual de todas las asignaciones con intérprete'],
      },
    },
  },
  {
    agency: 'co-ministry', name: 'Chat de orientación jurídica',
    description: 'Responde preguntas frecuentes sobre trámites de justicia.',
    purpose: 'Orientar a la ciudadanía sobre dónde acudir.',
    provider: ['Conversa S.A.S.', 'CO'], version: '1.6', procurement: 'open_tender',
    risk: 'limited_risk', rationale: 'Conversa con las personas: debe decirles que hablan con un sistema automático (art. 50).',
    lifecycle: { status: 'in_use', inUseSince: '2025-01-20' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Modelo de lenguaje con respuestas limitadas a una base de conocimiento revisada por el ministerio.',
      inputs: 'Las preguntas que escribe la persona en el chat.',
      outputs: 'Una respuesta con el enlace a la fuente oficial y, si hace falta, la oficina donde acudir.',
      humanOversight: {
        automationBias: 'El chat advierte que no da asesoría jurídica y remite a un consultorio jurídico.',
        interveneOrStop: 'El equipo de atención puede retirar respuestas o apagar el chat.',
      },
      humanReview: 'El equipo de atención revisa cada semana una muestra de conversaciones anonimizadas.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 6 },
      affectedPersons: {
        informationGiven: 'El chat se presenta como asistente automático al empezar cada conversación.',
        howToContest: 'Quien reciba una respuesta errónea puede reportarla en el propio chat o en la línea de atención del ministerio.',
      },
    },
    legalBasis: [{ jurisdiction: 'CO', instrument: 'Ley 1712 de 2014 (transparencia y acceso a la información pública)', url: SUIN }],
    outcome: 'published',
  },
];
