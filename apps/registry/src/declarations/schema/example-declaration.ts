/**
 * A complete, realistic declaration (every required field, several optional ones): the example
 * the tests start from, and a template for demonstration data.
 */
export function exampleDeclaration(): Record<string, unknown> {
  const screening = Object.fromEntries('abcdefgh'.split('').map((l) => [l, { performs: false, explanation: 'Not applicable.' }]));
  return {
    language: 'es',
    identity: {
      name: 'Transcriptor de entrevistas',
      shortDescription: 'Transcribe las entrevistas grabadas a testigos para su revisión por la fiscalía.',
      intendedPurpose: 'Acelerar la transcripción de entrevistas; una persona revisa cada transcripción.',
      functions: ['transcribes audio', 'marks unclear passages'],
      provider: { name: 'Acme Speech S.A.', country: 'ES' },
      version: '4.2',
      procurementRoute: 'open_tender',
      countriesOfUse: ['CR'],
      lifecycle: { status: 'in_use', pilotSince: '2025-02-01', inUseSince: '2025-09-01' },
      crimeAreas: ['gender_based_violence', 'general'],
    },
    classification: { riskClass: 'limited_risk', rationale: 'Assists staff; no decision about persons.', article5Screening: screening },
    transparency: {
      modelType: 'speech recognition neural network',
      inputs: 'Audio recordings of interviews.',
      outputs: 'A draft transcript, marked as machine-made.',
      humanOversight: {
        understandCapacities: 'Training before access.',
        automationBias: 'Every transcript is checked against the audio.',
        interpretOutput: 'Unclear passages are highlighted.',
        decideNotToUse: 'Staff may transcribe manually.',
        interveneOrStop: 'The unit head can switch it off.',
      },
      logging: { retentionMonths: 12, description: 'Access logs in the case system.' },
      affectedPersons: { howToContest: 'The witness may ask for the recording to be re-heard.' },
      performance: [{ metric: 'word error rate', value: '7.9 %', testConditions: 'Spanish, 200 h of interviews' }],
    },
    legalBasis: [{ jurisdiction: 'CR', instrument: 'Código Procesal Penal', article: 'Art. 210', url: 'https://www.pgrweb.go.cr/' }],
  };
}

