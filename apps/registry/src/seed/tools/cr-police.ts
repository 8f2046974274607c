import type { DemoTool } from '../demo-tool.js';

const CODIGO_PROCESAL = { jurisdiction: 'CR', instrument: 'Código Procesal Penal (Ley 7594)', url: 'https://www.pgrweb.go.cr/scij/' };
const DATOS = { jurisdiction: 'CR', instrument: 'Ley de Protección de la Persona frente al Tratamiento de sus Datos Personales (Ley 8968)', url: 'https://www.pgrweb.go.cr/scij/', summary: 'Regula el tratamiento de datos personales, también por autoridades públicas.' };

// Policía Judicial de Aurora (ficticia), Costa Rica: declarations in Spanish.
export const CR_POLICE: DemoTool[] = [
  {
    agency: 'cr-police', name: 'Transcriptor de entrevistas',
    description: 'Transcribe entrevistas grabadas a testigos para revisión humana.',
    purpose: 'Reducir el tiempo de transcripción; cada texto lo revisa un agente.',
    functions: ['transcribe audio de entrevistas', 'marca los pasajes poco audibles'],
    provider: ['Voz Clara S.A.', 'CR'], version: '4.2', procurement: 'open_tender',
    risk: 'limited_risk', rationale: 'Genera texto a partir de audio para el personal; no decide nada sobre las personas. Se aplican los deberes de transparencia del art. 50.',
    lifecycle: { status: 'in_use', pilotSince: '2023-10-01', inUseSince: '2024-03-01' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Red neuronal de reconocimiento de voz ajustada al español de Costa Rica.',
      inputs: 'Grabaciones de audio de entrevistas a testigos realizadas en sede policial.',
      outputs: 'Un borrador de transcripción marcado como generado por máquina, con los pasajes dudosos resaltados.',
      performance: [{ metric: 'tasa de error por palabra', value: '7,9 %', testConditions: '200 horas de entrevistas reales anonimizadas, con ruido de oficina' }],
      humanOversight: {
        understandCapacities: 'Curso de dos horas antes de recibir acceso, con ejemplos de errores típicos.',
        automationBias: 'El agente compara cada transcripción con el audio antes de firmarla.',
        interpretOutput: 'Los pasajes con baja confianza aparecen resaltados en amarillo.',
        decideNotToUse: 'El agente puede transcribir a mano cuando lo considere necesario.',
        interveneOrStop: 'La jefatura de la unidad puede desactivar el servicio en cualquier momento.',
      },
      humanReview: 'El agente que hizo la entrevista revisa y firma la transcripción; sin firma no entra al expediente.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 12, description: 'Registro de accesos en el sistema de expedientes.' },
      affectedPersons: {
        informationGiven: 'Se informa al testigo de que la grabación se transcribe con ayuda de un programa.',
        howToContest: 'El testigo puede pedir que se vuelva a escuchar la grabación y se corrija la transcripción.',
      },
    },
    legalBasis: [{ ...CODIGO_PROCESAL, article: 'Art. 210', summary: 'Permite registrar las declaraciones de testigos por medios técnicos.' }],
    outcome: 'published',
    assessments: {
      dpia: {
        framework: 'led_art_27', completedOn: '2024-01-20', reference: 'EIPD-2024-003',
        summary: 'Riesgo medio por tratarse de voces de testigos; mitigado con procesamiento en servidores propios, sin conservar el audio en el proveedor y con acceso restringido a la unidad.',
        dpoConsulted: true, supervisoryAuthorityConsulted: false,
      },
    },
  },
  {
    agency: 'cr-police', name: 'Priorizador de denuncias de violencia doméstica',
    description: 'Ordena las denuncias según el riesgo estimado de reincidencia.',
    purpose: 'Asignar primero las visitas de seguimiento de mayor riesgo.',
    functions: ['estima el riesgo de una nueva agresión', 'ordena la lista diaria de visitas'],
    provider: ['Analítica Segura Ltda.', 'CO'], version: '2.1', procurement: 'direct_award', regions: ['San José', 'Alajuela', 'Limón'],
    risk: 'high_risk', annex: '6(d)', rationale: 'Evalúa el riesgo de que una persona vuelva a agredir (anexo III, punto 6(d)).',
    article5: { d: { performs: false, explanation: 'No predice delitos solo a partir de perfiles: apoya la valoración de un agente basada en hechos denunciados y verificables.' } },
    lifecycle: { status: 'pilot', pilotSince: '2024-09-01' }, crimeAreas: ['gender_based_violence'],
    transparency: {
      modelType: 'Árboles de decisión potenciados (gradient boosting) sobre variables del caso.',
      inputs: 'Datos de la denuncia: antecedentes de agresiones, medidas de protección previas, uso de armas, amenazas y situación de convivencia.',
      outputs: 'Un nivel de riesgo (bajo, medio, alto) con los tres factores que más pesaron, mostrado en la ficha del caso.',
      performance: [{ metric: 'área bajo la curva ROC', value: '0,74 (IC 95 %: 0,72–0,76)', testConditions: 'Denuncias de 2022 con seguimiento a 12 meses' }],
      explainability: 'Cada nivel de riesgo se acompaña de los factores que lo explican, en lenguaje llano.',
      humanOversight: {
        understandCapacities: 'Formación de un día sobre el modelo, sus límites y su tasa de error por zona.',
        automationBias: 'El agente registra su propia valoración antes de ver la del sistema.',
        interpretOutput: 'La ficha explica qué significa cada nivel y qué no significa.',
        decideNotToUse: 'El agente puede cambiar el nivel y debe justificarlo en una línea.',
        interveneOrStop: 'La jefatura de la unidad de género puede suspender su uso.',
      },
      humanReview: 'Un equipo especializado revisa todos los casos de nivel bajo antes de posponer una visita.',
      sourceCode: { availability: 'available_to_oversight', location: 'Repositorio del proveedor, acceso para el órgano de supervisión' },
      logging: { retentionMonths: 24, description: 'Cada cálculo, con la versión del modelo y el agente que lo consultó.' },
      affectedPersons: {
        informationGiven: 'La víctima recibe por escrito la fecha de la visita y cómo pedir una antes.',
        howToContest: 'La víctima o su abogada pueden pedir la revisión del nivel ante la jefatura de la unidad de género.',
      },
    },
    legalBasis: [
      { jurisdiction: 'CR', instrument: 'Ley contra la Violencia Doméstica (Ley 7586)', url: 'https://www.pgrweb.go.cr/scij/', summary: 'Obliga a las autoridades a proteger a las víctimas y dar seguimiento a las medidas de protección.' },
      { jurisdiction: 'CR', instrument: 'Ley de Penalización de la Violencia contra las Mujeres (Ley 8589)', url: 'https://www.pgrweb.go.cr/scij/' },
    ],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2024-08-10',
        processes: 'Priorización diaria de las visitas de seguimiento a víctimas que denunciaron violencia doméstica.',
        periodAndFrequency: 'Cada día hábil, durante el piloto de 2024 y tres años si se consolida.',
        affectedCategories: ['víctimas que denuncian', 'personas denunciadas', 'hijas e hijos que conviven con ellas'],
        risksOfHarm: [
          { right: 'Igualdad y no discriminación (Convención Americana, art. 24)', risk: 'Menor prioridad para denuncias de zonas rurales, con menos antecedentes registrados.', likelihood: 'medium', severity: 'high' },
          { right: 'Vida e integridad personal (Convención Americana, arts. 4 y 5)', risk: 'Una visita pospuesta por un riesgo subestimado.', likelihood: 'low', severity: 'high' },
        ],
        humanOversight: 'El agente valora el caso antes de ver el nivel y un equipo revisa todos los niveles bajos.',
        measuresIfRisksMaterialise: 'Suspensión por la jefatura de la unidad de género; las quejas se atienden en la Contraloría de Servicios.',
        marketSurveillanceNotified: false,
      },
      bias: {
        evaluatedOn: '2024-11-15',
        dataset: { description: 'Denuncias de 2022 con reincidencia conocida a 12 meses.', period: '2022–2023', size: 9400 },
        sensitiveAttributes: [
          { attribute: 'zona de residencia (rural o urbana)', howObtained: 'Dirección de la denuncia, según la clasificación del censo' },
          { attribute: 'edad de la víctima', howObtained: 'Registrada en la denuncia' },
        ],
        referenceGroup: 'víctimas en zonas urbanas',
        groups: [
          { group: 'víctimas en zonas urbanas', n: 6900, baseRate: 0.18, fnr: 0.22 },
          { group: 'víctimas en zonas rurales', n: 2500, baseRate: 0.17, fnr: 0.31 },
          { group: 'víctimas de 60 años o más', n: 140, baseRate: 0.12, fnr: 0.25 },
        ],
        disparities: [
          { group: 'víctimas en zonas rurales', metric: 'fnr', value: 1.41, tolerance: 1.25, status: 'fail' },
          { group: 'víctimas de 60 años o más', metric: 'fnr', value: 1.14, tolerance: 1.25, status: 'undetermined' },
        ],
        method: 'Cociente de tasas de falsos negativos respecto del grupo de referencia; tolerancia 0,8–1,25; menos de 300 casos: indeterminado.',
        mitigations: ['Umbral propio para zonas rurales, revisado cada trimestre', 'Revisión humana de todo nivel bajo en distritos rurales'],
      },
      gender_impact: {
        assessedOn: '2024-08-20', relevance: 'relevant',
        rationale: 'Nueve de cada diez víctimas que denuncian son mujeres.',
        sexDisaggregatedData: { available: true, description: 'Sexo de la víctima y de la persona denunciada en cada denuncia.' },
        analysis: 'El modelo no usa el sexo como variable; su error es similar para víctimas mujeres y hombres, pero mayor en zonas rurales, donde viven muchas mujeres con menos acceso a servicios.',
        expectedEffect: 'reduces', intersectionalFactors: ['residencia rural', 'condición migratoria', 'edad avanzada'],
        proposals: ['Publicar cada año las cifras por sexo y zona.', 'Consultar a las oficinas municipales de la mujer antes de consolidar el piloto.'],
        oecdDacMarker: 2, markerCriteria: 'La protección de las mujeres víctimas de violencia es el objetivo principal del uso.',
      },
    },
    revise: {
      lifecycle: { status: 'in_use', pilotSince: '2024-09-01', inUseSince: '2025-02-01' },
      description: 'Ordena las denuncias según el riesgo estimado de reincidencia; un equipo especializado revisa cada caso.',
      trainingData: {
        origin: 'Denuncias y seguimientos registrados por la unidad de género.', period: '2018–2022', size: '41 000 denuncias',
        proxies: 'El distrito puede actuar como indicador indirecto de la situación socioeconómica.',
        knownGaps: 'Menos antecedentes registrados en zonas rurales.',
      },
      redact: [{ field: 'transparency.trainingData', reasonCode: 'investigation_integrity', reason: 'Revelar el origen de los datos permitiría eludir la evaluación de riesgo.' }],
    },
    finding: {
      severity: 'high', title: 'Disparidad por zona rural',
      body: 'La tasa de falsos negativos es mayor en zonas rurales. Explique las medidas.',
      answer: 'Se fijó un umbral propio para zonas rurales y el equipo especializado revisa todos los niveles bajos; el efecto se medirá en el próximo trimestre.',
    },
  },
  {
    agency: 'cr-police', name: 'Búsqueda de menores desaparecidos en cámaras',
    description: 'Identificación biométrica remota en tiempo real, solo bajo autorización judicial.',
    purpose: 'Localizar a menores desaparecidos en estaciones de transporte.',
    functions: ['compara rostros de las cámaras con las fotos de los menores buscados', 'avisa a la sala de mando'],
    provider: ['BioVisión S.A.', 'ES'], version: '1.3', procurement: 'framework_agreement', regions: ['Gran Área Metropolitana'],
    risk: 'prohibited_practice_exception', annex: '1(a)',
    rationale: 'Identificación biométrica remota en tiempo real en espacios públicos con fines policiales, usada solo bajo la excepción del art. 5(1)(h)(i).',
    article5: { h: { performs: true, explanation: 'Art. 5(1)(h)(i): búsqueda selectiva de menores desaparecidos concretos, con autorización judicial previa.' } },
    lifecycle: { status: 'in_use', inUseSince: '2025-06-01' }, crimeAreas: ['missing_persons', 'child_sexual_abuse'],
    transparency: {
      modelType: 'Red neuronal convolucional de reconocimiento facial.',
      inputs: 'Vídeo en directo de las cámaras de las estaciones indicadas en la autorización y las fotos de los menores buscados.',
      outputs: 'Una alerta con la imagen captada, la foto de referencia y una puntuación de similitud, enviada a la sala de mando.',
      performance: [{ metric: 'tasa de falsas coincidencias', value: '1 por cada 50 000 rostros', testConditions: 'Prueba en dos estaciones con voluntarios adultos, luz diurna' }],
      humanOversight: {
        understandCapacities: 'Solo operan el sistema dos analistas certificados por turno.',
        automationBias: 'Ninguna alerta basta por sí sola para intervenir.',
        interpretOutput: 'La puntuación de similitud se muestra junto a ambas imágenes, nunca sola.',
        decideNotToUse: 'El analista descarta las alertas que no confirma visualmente.',
        interveneOrStop: 'La búsqueda se detiene sola al vencer la autorización o al encontrar al menor.',
      },
      humanReview: 'Dos analistas confirman por separado cada coincidencia antes de enviar a una patrulla (art. 14(5)).',
      sourceCode: { availability: 'escrow' },
      logging: { retentionMonths: 36, description: 'Cada alerta, su confirmación o descarte, y la autorización que la cubría.' },
      affectedPersons: {
        informationGiven: 'Carteles en las estaciones informan del uso de cámaras con reconocimiento facial bajo orden judicial.',
        howToContest: 'Cualquier persona puede preguntar si fue objeto de una alerta ante la Contraloría de Servicios y reclamar ante el juzgado que autorizó.',
      },
    },
    legalBasis: [
      { jurisdiction: 'CR', instrument: 'Código de la Niñez y la Adolescencia (Ley 7739)', url: 'https://www.pgrweb.go.cr/scij/', summary: 'Obliga al Estado a buscar y proteger a las personas menores de edad desaparecidas.' },
      { ...CODIGO_PROCESAL, summary: 'Las medidas que afectan derechos fundamentales requieren orden judicial.' },
      DATOS,
    ],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2025-04-30',
        processes: 'Búsqueda de menores desaparecidos con orden judicial en estaciones de tren y autobús.',
        periodAndFrequency: 'Solo mientras dure cada autorización, de ordinario 72 horas.',
        affectedCategories: ['menores desaparecidos', 'personas que pasan por las estaciones'],
        risksOfHarm: [
          { right: 'Vida privada (Convención Americana, art. 11)', risk: 'Tratamiento del rostro de todas las personas que pasan por las estaciones.', likelihood: 'high', severity: 'medium' },
          { right: 'Libertad personal (Convención Americana, art. 7)', risk: 'Retención de una persona por una falsa coincidencia.', likelihood: 'low', severity: 'high' },
        ],
        humanOversight: 'Doble confirmación de cada coincidencia y borrado inmediato de los rostros sin coincidencia.',
        measuresIfRisksMaterialise: 'Detención de la búsqueda, informe al juzgado en 24 horas y atención a la persona afectada.',
        marketSurveillanceNotified: false,
      },
      huderia: {
        assessedOn: '2025-05-10',
        contextAnalysis: 'Estaciones concurridas con muchas personas menores de edad que viajan solas a la escuela.',
        stakeholderEngagement: 'Reuniones con el Patronato Nacional de la Infancia y con una organización de defensa de la privacidad.',
        impacts: [
          { impact: 'Efecto disuasorio sobre el uso del transporte público.', scale: 'moderate', scope: 'society', probability: 'possible', reversibility: 'reversible' },
          { impact: 'Retención injustificada de un menor parecido al buscado.', scale: 'high', scope: 'individual', probability: 'unlikely', reversibility: 'difficult' },
        ],
        mitigationPlan: 'Uso limitado a las estaciones de la orden, borrado inmediato sin coincidencia y protocolo de trato a menores.',
        nextReview: '2026-05-10',
      },
    },
    authorisation: {
      window: 'expiring', authority: 'Juzgado Penal de Aurora (ficticio)',
      scope: { geographic: 'Las estaciones de tren y autobús indicadas en la orden', temporal: 'De 5:00 a 23:00', persons: 'Los menores nombrados en la orden' },
      conditions: 'Informe diario al juzgado; borrado de todo rostro sin coincidencia.',
    },
  },
];
