import type { DemoTool } from '../demo-tool.js';

const DIPUTADOS = 'https://www.diputados.gob.mx/LeyesBiblio/';
const CNPP = { jurisdiction: 'MX', instrument: 'Código Nacional de Procedimientos Penales', url: DIPUTADOS };

// Fiscalía General de Tierra Alta (ficticia), Mexico: declarations in Spanish.
export const MX_PROSECUTION: DemoTool[] = [
  {
    agency: 'mx-prosecution', name: 'Identificación de vehículos robados en aduanas',
    description: 'Cruza números de serie con registros de robo.',
    purpose: 'Recuperar vehículos robados en cruces fronterizos.',
    provider: ['Datos del Norte S.A. de C.V.', 'MX'], version: '2.8', procurement: 'open_tender', regions: ['Puerto Norte', 'Garita de Las Palmas'],
    risk: 'limited_risk', rationale: 'Compara números de serie de vehículos con bases de robo; no evalúa personas. Se informa de su uso en los puntos de revisión (art. 50).',
    lifecycle: { status: 'in_use', inUseSince: '2023-07-01' }, crimeAreas: ['property_crime', 'organised_crime'],
    transparency: {
      modelType: 'Lectura óptica del número de identificación vehicular y cotejo exacto con bases de datos.',
      inputs: 'Fotografías del número de identificación vehicular tomadas en la revisión.',
      outputs: 'Coincidencia o no con el registro de vehículos robados, con el folio de la denuncia.',
      humanOversight: {
        interpretOutput: 'La coincidencia se muestra con la foto tomada y el registro, para cotejo visual.',
        decideNotToUse: 'El agente puede capturar el número a mano.',
        interveneOrStop: 'La coordinación de la fiscalía en la garita puede suspender el servicio.',
      },
      humanReview: 'Un agente del Ministerio Público confirma la coincidencia con el expediente antes de asegurar el vehículo.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 12 },
      affectedPersons: {
        informationGiven: 'Se entrega al conductor el acta de aseguramiento con el folio de la denuncia.',
        howToContest: 'El conductor puede acreditar la propiedad ante el agente del Ministerio Público y solicitar la devolución.',
      },
    },
    legalBasis: [
      { jurisdiction: 'MX', instrument: 'Ley del Registro Público Vehicular', url: DIPUTADOS, summary: 'Crea el registro de vehículos y su consulta por las autoridades.' },
      { ...CNPP, summary: 'Regula el aseguramiento de bienes relacionados con un delito.' },
    ],
    outcome: 'published',
  },
  {
    agency: 'mx-prosecution', name: 'Reconocimiento facial en tiempo real en terminales',
    description: 'Identificación biométrica remota en tiempo real para búsqueda de víctimas de trata.',
    purpose: 'Localizar víctimas de trata identificadas por orden judicial.',
    functions: ['compara rostros de las cámaras con las fotos de las víctimas buscadas', 'avisa al centro de mando'],
    provider: ['RostroSeguro S.A.', 'MX'], version: '3.0', procurement: 'direct_award', regions: ['Central de autobuses de Tierra Alta'],
    risk: 'prohibited_practice_exception', annex: '1(a)',
    rationale: 'Identificación biométrica remota en tiempo real en espacios públicos con fines policiales; solo se usa bajo la excepción del art. 5(1)(h)(i), con orden judicial.',
    article5: { h: { performs: true, explanation: 'Art. 5(1)(h)(i): búsqueda selectiva de víctimas de trata identificadas, con autorización judicial previa.' } },
    lifecycle: { status: 'in_use', inUseSince: '2025-03-01' }, crimeAreas: ['human_trafficking'],
    transparency: {
      modelType: 'Red neuronal de reconocimiento facial.',
      inputs: 'Vídeo en directo de las cámaras de la central de autobuses y las fotos de las víctimas nombradas en la orden.',
      outputs: 'Una alerta con la imagen captada, la foto de referencia y una puntuación de similitud.',
      humanOversight: {
        understandCapacities: 'Operan el sistema analistas certificados de la unidad contra la trata.',
        automationBias: 'Ninguna alerta basta para intervenir sin confirmación.',
        interpretOutput: 'La puntuación se muestra junto a ambas imágenes.',
        decideNotToUse: 'El analista descarta las alertas que no confirma.',
        interveneOrStop: 'La búsqueda se detiene al vencer la orden o al localizar a la víctima.',
      },
      humanReview: 'Dos analistas confirman por separado cada coincidencia antes de enviar personal (art. 14(5)).',
      sourceCode: { availability: 'escrow' },
      logging: { retentionMonths: 36 },
      affectedPersons: {
        informationGiven: 'Avisos en la central informan del uso de reconocimiento facial con orden judicial.',
        howToContest: 'Toda persona puede presentar queja ante la Comisión Estatal de Derechos Humanos o ante el juez de control que autorizó.',
      },
    },
    legalBasis: [
      { jurisdiction: 'MX', instrument: 'Ley General para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas', url: DIPUTADOS, summary: 'Obliga a las autoridades a buscar y proteger a las víctimas de trata.' },
      { ...CNPP, article: 'Art. 252', summary: 'Actos de investigación que requieren autorización previa del juez de control.' },
    ],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2025-01-25',
        processes: 'Búsqueda de víctimas de trata con orden judicial en la central de autobuses.',
        periodAndFrequency: 'Solo durante la vigencia de cada orden judicial.',
        affectedCategories: ['víctimas de trata buscadas', 'viajeros y trabajadores de la central'],
        risksOfHarm: [
          { right: 'Vida privada (Convención Americana, art. 11)', risk: 'Tratamiento del rostro de todos los viajeros.', likelihood: 'high', severity: 'medium' },
          { right: 'Igualdad y no discriminación (Convención Americana, art. 24)', risk: 'Más falsas coincidencias con personas de piel oscura.', likelihood: 'medium', severity: 'high' },
        ],
        humanOversight: 'Doble confirmación humana y borrado inmediato de los rostros sin coincidencia.',
        measuresIfRisksMaterialise: 'Suspensión de la búsqueda y aviso al juez de control en 24 horas.',
        marketSurveillanceNotified: false,
      },
    },
    authorisation: {
      window: 'expired', authority: 'Juzgado de Control del Distrito Judicial de Tierra Alta (ficticio)',
      scope: { geographic: 'Central de autobuses de Tierra Alta', persons: 'Las víctimas nombradas en la orden' },
      conditions: 'Informe semanal al juez de control.',
      revokedBecause: 'El tribunal de alzada anuló la autorización en apelación.',
    },
  },
  {
    agency: 'mx-prosecution', name: 'Análisis de redes de llamadas',
    description: 'Reconstruye redes de contactos a partir de registros de llamadas intervenidos.',
    purpose: 'Apoyar investigaciones de delincuencia organizada.',
    provider: ['Grafo Inteligente', 'MX'], version: '4.1', procurement: 'direct_award',
    risk: 'high_risk', annex: '6(e)', rationale: 'Elabora perfiles de personas en investigaciones penales (anexo III, punto 6(e)).',
    lifecycle: { status: 'in_use', inUseSince: '2024-09-01' }, crimeAreas: ['organised_crime', 'drug_trafficking'],
    transparency: {
      modelType: 'Análisis de grafos y detección de comunidades.',
      inputs: 'Registros de llamadas obtenidos con autorización judicial.',
      outputs: 'Un grafo de contactos con los nodos más centrales resaltados.',
      humanOversight: {
        understandCapacities: 'Solo analistas de la unidad de inteligencia con formación específica.',
        automationBias: 'La centralidad no se presenta como indicio de participación.',
        decideNotToUse: 'El analista decide qué relaciones se investigan.',
        interveneOrStop: 'El titular de la unidad puede suspender el análisis.',
      },
      humanReview: 'El agente del Ministerio Público valora cada relación con otras pruebas.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 60 },
      affectedPersons: { howToContest: 'La defensa puede impugnar el análisis ante el juez de la causa.' },
    },
    legalBasis: [{ ...CNPP, article: 'Art. 291', summary: 'Intervención de comunicaciones privadas con autorización judicial.' }],
    outcome: 'published', nonPublic: true,
    assessments: {
      fria: {
        completedOn: '2024-08-01',
        processes: 'Análisis de registros de llamadas en investigaciones de delincuencia organizada.',
        periodAndFrequency: 'Por investigación, mientras dure la autorización judicial.',
        affectedCategories: ['personas investigadas', 'contactos de las personas investigadas'],
        risksOfHarm: [{ right: 'Inviolabilidad de las comunicaciones (Constitución, art. 16)', risk: 'Tratamiento de datos de contactos ajenos a los hechos.', likelihood: 'high', severity: 'medium' }],
        humanOversight: 'Valoración por el agente del Ministerio Público de cada relación.',
        measuresIfRisksMaterialise: 'Destrucción de los datos de terceros ajenos a la investigación.',
        marketSurveillanceNotified: false,
      },
    },
  },
];
