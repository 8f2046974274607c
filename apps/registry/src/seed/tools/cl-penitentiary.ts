import type { DemoTool } from '../demo-tool.js';

const LEYCHILE = 'https://www.bcn.cl/leychile/';
const REGLAMENTO = { jurisdiction: 'CL', instrument: 'Decreto 518 de 1998, Reglamento de Establecimientos Penitenciarios', url: LEYCHILE };
const VIDA_PRIVADA = { jurisdiction: 'CL', instrument: 'Ley 19.628 sobre protección de la vida privada', url: LEYCHILE };

// Gendarmería de Puerto Sereno (ficticia), Chile: declarations in Spanish.
export const CL_PENITENTIARY: DemoTool[] = [
  {
    agency: 'cl-penitentiary', name: 'Clasificación de riesgo penitenciario',
    description: 'Propone el régimen de seguridad inicial de las personas internas.',
    purpose: 'Apoyar la clasificación al ingreso.',
    functions: ['calcula un puntaje de riesgo de conflicto y fuga', 'propone el módulo y el régimen inicial'],
    provider: ['in-house', 'CL'], version: '4.3', procurement: 'in_house',
    risk: 'high_risk', annex: '6(d)', rationale: 'Evalúa rasgos y conducta pasada de las personas para decidir su régimen (anexo III, punto 6(d)).',
    article5: { d: { performs: false, explanation: 'No predice delitos: propone un régimen de seguridad a partir de hechos del expediente, y lo decide un tribunal de conducta.' } },
    lifecycle: { status: 'in_use', inUseSince: '2022-08-01' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Puntaje actuarial con pesos fijos, revisado en 2022.',
      inputs: 'Delito, condena, ingresos anteriores, sanciones disciplinarias previas y edad.',
      outputs: 'Un puntaje de 0 a 30 y un régimen propuesto (alto, mediano o bajo compromiso delictual).',
      humanOversight: {
        understandCapacities: 'El personal de clasificación conoce cada factor y su peso.',
        automationBias: 'La entrevista de ingreso se hace antes de calcular el puntaje.',
        interpretOutput: 'La ficha muestra el aporte de cada factor al puntaje.',
        decideNotToUse: 'El tribunal de conducta puede apartarse del régimen propuesto, con motivación.',
        interveneOrStop: 'La dirección regional puede suspender el puntaje.',
      },
      humanReview: 'El tribunal de conducta del establecimiento decide el régimen tras la entrevista de ingreso.',
      sourceCode: { availability: 'available_to_oversight' },
      logging: { retentionMonths: 60 },
      affectedPersons: {
        informationGiven: 'La persona interna recibe por escrito su régimen y los factores considerados.',
        howToContest: 'La persona interna puede pedir la revisión al tribunal de conducta y recurrir ante el juez de garantía.',
      },
    },
    legalBasis: [{ ...REGLAMENTO, summary: 'Regula la clasificación y segmentación de la población penal.' }],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2022-06-30',
        processes: 'Clasificación inicial de las personas que ingresan a los establecimientos de la región.',
        periodAndFrequency: 'A cada ingreso, unas 250 personas al mes.',
        affectedCategories: ['personas privadas de libertad', 'personal penitenciario'],
        risksOfHarm: [
          { right: 'Trato digno de las personas privadas de libertad (Convención Americana, art. 5)', risk: 'Un régimen más restrictivo que el necesario.', likelihood: 'medium', severity: 'high' },
          { right: 'Igualdad ante la ley (Convención Americana, art. 24)', risk: 'Regímenes más duros para mujeres, por factores pensados para la población masculina.', likelihood: 'high', severity: 'medium' },
        ],
        humanOversight: 'Decisión del tribunal de conducta tras la entrevista.',
        measuresIfRisksMaterialise: 'Revisión de los regímenes asignados y ajuste de los pesos.',
        marketSurveillanceNotified: false,
      },
      gender_impact: {
        assessedOn: '2022-07-15', relevance: 'relevant',
        rationale: 'Los factores del puntaje se calibraron con población masculina, que es el 92 % de los ingresos.',
        sexDisaggregatedData: { available: true, description: 'Sexo registrado al ingreso.' },
        analysis: 'Las mujeres obtienen puntajes altos por sanciones disciplinarias menores y por condenas por microtráfico, lo que no se corresponde con incidentes posteriores.',
        expectedEffect: 'increases', intersectionalFactors: ['maternidad', 'nacionalidad extranjera', 'pertenencia a pueblos indígenas'],
        proposals: ['Calibrar un puntaje propio para mujeres.', 'Revisar cada seis meses los regímenes de alto compromiso asignados a mujeres.'],
        oecdDacMarker: 0, markerCriteria: 'La igualdad de género no es un objetivo del instrumento; la evaluación reconoce un efecto negativo que hay que corregir.',
      },
    },
    finding: {
      severity: 'medium', title: 'Revisión de la clasificación de mujeres',
      body: 'Las mujeres reciben regímenes más restrictivos. Solicitamos un análisis de género actualizado.',
    },
  },
  {
    agency: 'cl-penitentiary', name: 'Detección de objetos prohibidos en paquetes',
    description: 'Detecta objetos prohibidos en imágenes de rayos X de encomiendas.',
    purpose: 'Evitar el ingreso de armas y drogas.',
    provider: ['RayosIA SpA', 'CL'], version: '1.2', procurement: 'open_tender',
    risk: 'minimal_risk', rationale: 'Analiza imágenes de encomiendas, no personas; el funcionario decide qué se abre.',
    lifecycle: { status: 'in_use', inUseSince: '2024-10-01' }, crimeAreas: ['drug_trafficking'],
    transparency: {
      modelType: 'Red neuronal de detección de objetos en imágenes de rayos X.',
      inputs: 'Imágenes de rayos X de las encomiendas que llevan las visitas.',
      outputs: 'La imagen con recuadros sobre posibles armas, teléfonos o drogas.',
      humanOversight: {
        decideNotToUse: 'El funcionario revisa la imagen completa y puede abrir cualquier encomienda.',
        interveneOrStop: 'La jefatura de guardia puede apagar la detección.',
      },
      humanReview: 'Un funcionario decide si se abre la encomienda, en presencia de la visita.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 6 },
      affectedPersons: { howToContest: 'La visita puede reclamar ante la jefatura del establecimiento.' },
    },
    legalBasis: [{ ...REGLAMENTO, summary: 'Regula el registro de las encomiendas y las visitas.' }],
    outcome: 'published',
  },
  {
    agency: 'cl-penitentiary', name: 'Monitoreo de llamadas de internos',
    description: 'Transcribe y marca llamadas de internos para revisión.',
    purpose: 'Detectar coordinación de delitos desde prisión.',
    provider: ['EscuchaSegura SpA', 'CL'], version: '0.8', procurement: 'direct_award',
    risk: 'high_risk', annex: '6(e)', rationale: 'Elabora perfiles de personas internas para detectar delitos (anexo III, punto 6(e)).',
    lifecycle: { status: 'pilot', pilotSince: '2025-12-01' }, crimeAreas: ['organised_crime'],
    transparency: {
      modelType: 'Reconocimiento de voz y clasificador de textos.',
      inputs: 'Grabaciones de las llamadas de los teléfonos públicos del establecimiento, salvo las llamadas con abogados.',
      outputs: 'La transcripción y una marca en los pasajes que podrían referirse a delitos.',
      humanOversight: {
        understandCapacities: 'Solo funcionarios de la unidad de inteligencia penitenciaria, con formación.',
        automationBias: 'Una marca no basta para ninguna medida.',
        decideNotToUse: 'El funcionario escucha la grabación original.',
        interveneOrStop: 'La dirección regional puede detener el piloto.',
      },
      humanReview: 'Un funcionario escucha cada pasaje marcado antes de informar a la fiscalía.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 24 },
      affectedPersons: {
        informationGiven: 'Un aviso al comienzo de cada llamada informa que se graba.',
        howToContest: 'La persona interna puede reclamar ante el juez de garantía.',
      },
    },
    legalBasis: [REGLAMENTO, VIDA_PRIVADA],
    outcome: 'submitted',
    assessments: {
      fria: {
        completedOn: '2025-11-10',
        processes: 'Revisión de las llamadas de las personas internas de un módulo de alta seguridad.',
        periodAndFrequency: 'Todas las llamadas del módulo, durante un piloto de seis meses.',
        affectedCategories: ['personas internas', 'sus familiares y contactos'],
        risksOfHarm: [{ right: 'Vida privada y familiar (Convención Americana, art. 11)', risk: 'Tratamiento de conversaciones familiares sin relación con delitos.', likelihood: 'high', severity: 'medium' }],
        humanOversight: 'Escucha humana de cada pasaje marcado; las llamadas con abogados no se graban.',
        measuresIfRisksMaterialise: 'Borrado de las transcripciones sin marca a los 30 días.',
        marketSurveillanceNotified: false,
      },
      dpia: {
        framework: 'led_art_27', completedOn: '2025-11-01', reference: 'EIPD-GEN-2025-02',
        summary: 'Riesgo alto para familiares y contactos; se limita a un módulo, se excluyen las llamadas con abogados y se borran a los 30 días las transcripciones sin marca.',
        dpoConsulted: true, supervisoryAuthorityConsulted: false,
      },
    },
  },
];
