import type { DemoTool } from '../demo-tool.js';

const LO_7_2021 = {
  jurisdiction: 'ES', instrument: 'Ley Orgánica 7/2021, de protección de datos personales tratados para fines de prevención, detección, investigación y enjuiciamiento de infracciones penales',
  url: 'https://www.boe.es/', summary: 'Transpone la Directiva (UE) 2016/680 y regula el tratamiento de datos por las autoridades penales.',
};

// Fiscalía Provincial de Valdemar (ficticia), Spain: declarations in Spanish.
export const ES_PROSECUTION: DemoTool[] = [
  {
    agency: 'es-prosecution', name: 'Asistente de anonimización de sentencias',
    description: 'Propone supresiones de datos personales en resoluciones antes de publicarlas.',
    purpose: 'Publicar resoluciones sin datos identificativos.',
    functions: ['detecta nombres, direcciones y números de documento', 'propone sustituirlos por iniciales o marcadores'],
    provider: ['in-house', 'ES'], version: '3.0', procurement: 'in_house',
    risk: 'minimal_risk', rationale: 'Ayuda al personal a preparar textos para su publicación; no decide sobre personas ni sobre el fondo de los asuntos.',
    lifecycle: { status: 'in_use', pilotSince: '2023-05-01', inUseSince: '2023-09-15' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Reconocimiento de entidades nombradas con un modelo de lenguaje pequeño y reglas.',
      inputs: 'El texto de la resolución que se va a publicar.',
      outputs: 'El mismo texto con las supresiones propuestas resaltadas, para aceptarlas o rechazarlas una a una.',
      performance: [{ metric: 'exhaustividad en nombres de persona', value: '98,6 %', testConditions: '500 resoluciones anotadas a mano en 2023' }],
      humanOversight: {
        decideNotToUse: 'El funcionario puede anonimizar a mano cualquier resolución.',
        interveneOrStop: 'La sección de publicaciones acepta o rechaza cada propuesta; nada se publica sin su validación.',
      },
      humanReview: 'Un funcionario de la sección de publicaciones revisa cada resolución completa antes de publicarla.',
      sourceCode: { availability: 'open_source' },
      logging: { retentionMonths: 12 },
      affectedPersons: { howToContest: 'Quien aparezca identificado en una resolución publicada puede pedir su corrección a la sección de publicaciones de la fiscalía.' },
    },
    legalBasis: [{ jurisdiction: 'EU', instrument: 'Reglamento (UE) 2016/679 (RGPD)', article: 'Art. 6.1.e', url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj', summary: 'Tratamiento necesario para una misión de interés público: la publicidad de las resoluciones sin datos personales.' }],
    outcome: 'published',
  },
  {
    agency: 'es-prosecution', name: 'Clasificador de atestados por delito',
    description: 'Sugiere la calificación jurídica inicial de los atestados recibidos.',
    purpose: 'Repartir los atestados entre secciones especializadas.',
    functions: ['lee el relato de hechos del atestado', 'sugiere el tipo penal y la sección competente'],
    provider: ['LexMáquina S.L.', 'ES'], version: '0.9', procurement: 'research_partnership',
    risk: 'high_risk', annex: '8(a)', rationale: 'Ayuda a aplicar el Derecho a los hechos en la fase inicial del procedimiento (anexo III, punto 8(a)).',
    lifecycle: { status: 'pilot', pilotSince: '2025-10-01' }, crimeAreas: ['general', 'fraud'],
    transparency: {
      modelType: 'Modelo de lenguaje ajustado con atestados calificados de años anteriores.',
      inputs: 'El relato de hechos y los datos de la denuncia del atestado policial.',
      outputs: 'Hasta tres calificaciones posibles con su probabilidad y los pasajes del relato en que se apoyan.',
      performance: [{ metric: 'acierto de la primera sugerencia', value: '81 %', testConditions: '3 000 atestados de 2024 calificados por fiscales' }],
      explainability: 'Cada sugerencia cita los pasajes del relato que la justifican.',
      humanOversight: {
        understandCapacities: 'Sesión de formación para el personal de registro y los fiscales de guardia.',
        automationBias: 'La sugerencia solo se muestra después de que el funcionario elige una sección.',
        interpretOutput: 'Las probabilidades se presentan como orientación, nunca como calificación.',
        decideNotToUse: 'El fiscal decano puede repartir sin mirar la sugerencia.',
        interveneOrStop: 'La Fiscalía puede desactivar el piloto en cualquier momento.',
      },
      humanReview: 'El fiscal al que se reparte el atestado hace siempre su propia calificación.',
      sourceCode: { availability: 'available_to_oversight' },
      logging: { retentionMonths: 24 },
      affectedPersons: { howToContest: 'La calificación la hace siempre un fiscal y se puede discutir en el procedimiento por las vías ordinarias.' },
    },
    legalBasis: [
      { jurisdiction: 'ES', instrument: 'Real Decreto de 14 de septiembre de 1882, Ley de Enjuiciamiento Criminal', article: 'Art. 292', url: 'https://www.boe.es/', summary: 'Regula los atestados que la policía judicial remite a la autoridad judicial y al Ministerio Fiscal.' },
      LO_7_2021,
    ],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2025-09-01',
        processes: 'Reparto inicial de los atestados entre la sección de delitos económicos, la de violencia sobre la mujer y la general.',
        periodAndFrequency: 'Cada atestado recibido, durante un piloto de doce meses.',
        affectedCategories: ['personas investigadas', 'víctimas y perjudicados'],
        risksOfHarm: [
          { right: 'Presunción de inocencia y derecho de defensa (Carta, art. 48)', risk: 'Una calificación inicial más grave que condicione el resto del procedimiento.', likelihood: 'low', severity: 'medium' },
          { right: 'No discriminación (Carta, art. 21)', risk: 'Calificaciones más graves cuando la persona investigada es extranjera.', likelihood: 'medium', severity: 'medium' },
        ],
        humanOversight: 'La sugerencia se muestra después de la elección del funcionario y el fiscal califica siempre.',
        measuresIfRisksMaterialise: 'Revisión por la Fiscalía Jefe y suspensión del piloto; las quejas se tramitan por la Unidad de Atención al Ciudadano.',
        marketSurveillanceNotified: true,
      },
      bias: {
        evaluatedOn: '2025-09-10',
        dataset: { description: 'Atestados de 2024 calificados por fiscales, con la nacionalidad de la persona investigada.', period: '2024', size: 3000 },
        sensitiveAttributes: [{ attribute: 'nacionalidad de la persona investigada', howObtained: 'Consta en el atestado' }],
        referenceGroup: 'personas investigadas de nacionalidad española',
        groups: [
          { group: 'personas investigadas de nacionalidad española', n: 2210, selectionRate: 0.21 },
          { group: 'personas investigadas de otra nacionalidad', n: 790, selectionRate: 0.23 },
        ],
        disparityMeasure: 'ratio',
        disparities: [{ group: 'personas investigadas de otra nacionalidad', metric: 'selection_rate', value: 1.08, tolerance: 1.25, status: 'pass' }],
        method: 'Cociente de la proporción de atestados para los que se sugiere un delito grave; tolerancia 0,8–1,25.',
      },
    },
  },
  {
    agency: 'es-prosecution', name: 'Detector de patrones de blanqueo',
    description: 'Señala operaciones inmobiliarias con patrones de blanqueo de capitales.',
    purpose: 'Apoyar la apertura de diligencias de investigación.',
    provider: ['Finanzas Claras S.A.', 'ES'], version: '1.0', procurement: 'open_tender',
    risk: 'high_risk', annex: '6(e)', rationale: 'Elabora perfiles de personas físicas en la detección e investigación de delitos (anexo III, punto 6(e)).',
    lifecycle: { status: 'planned', plannedSince: '2026-01-10' }, crimeAreas: ['money_laundering', 'corruption'],
    transparency: {
      modelType: 'Análisis de grafos y detección de anomalías sobre operaciones registrales.',
      inputs: 'Compraventas inscritas, sociedades intervinientes y comunicaciones de operaciones sospechosas recibidas del SEPBLAC.',
      outputs: 'Una lista de operaciones con su puntuación de anomalía y el patrón que la explica (p. ej., reventas rápidas entre sociedades vinculadas).',
      humanOversight: {
        understandCapacities: 'Los fiscales de la sección de delitos económicos recibirán formación antes del uso.',
        automationBias: 'Ninguna puntuación basta para abrir diligencias.',
        interpretOutput: 'Cada alerta muestra el patrón detectado y las operaciones que lo forman.',
        decideNotToUse: 'El fiscal decide si una alerta merece investigarse.',
        interveneOrStop: 'El fiscal jefe puede detener el análisis.',
      },
      humanReview: 'Un fiscal y un perito contable revisan cada alerta antes de cualquier diligencia.',
      sourceCode: { availability: 'escrow' },
      logging: { retentionMonths: 60 },
      affectedPersons: { howToContest: 'Las personas investigadas pueden impugnar las diligencias ante el juzgado de instrucción.' },
    },
    legalBasis: [
      { jurisdiction: 'ES', instrument: 'Ley 10/2010, de prevención del blanqueo de capitales y de la financiación del terrorismo', url: 'https://www.boe.es/' },
      LO_7_2021,
    ],
    outcome: 'submitted',
    assessments: {
      fria: {
        completedOn: '2025-12-15',
        processes: 'Selección de operaciones inmobiliarias para su estudio por la sección de delitos económicos.',
        periodAndFrequency: 'Análisis mensual de las operaciones del mes anterior.',
        affectedCategories: ['compradores y vendedores de inmuebles', 'administradores de sociedades'],
        risksOfHarm: [
          { right: 'Protección de datos personales (Carta, art. 8)', risk: 'Tratamiento masivo de operaciones de personas sin indicio alguno.', likelihood: 'high', severity: 'medium' },
          { right: 'Presunción de inocencia (Carta, art. 48)', risk: 'Investigaciones abiertas por coincidencias estadísticas.', likelihood: 'medium', severity: 'high' },
        ],
        humanOversight: 'Revisión de cada alerta por un fiscal y un perito antes de cualquier diligencia.',
        measuresIfRisksMaterialise: 'Archivo inmediato de lo que no se confirme y borrado de los datos a los seis meses.',
        marketSurveillanceNotified: false,
      },
    },
  },
];
