import type { AssessmentKind } from './assessment.schemas.js';

/** A valid example of each kind of assessment: what the tests start from, a template for demonstration data. */
export function exampleAssessment(kind: AssessmentKind): Record<string, unknown> {
  switch (kind) {
    case 'fria':
      return {
        completedOn: '2025-06-30',
        processes: 'Prioritisation of reports of domestic violence for follow-up visits.',
        periodAndFrequency: 'Daily, from 2025 for three years.',
        affectedCategories: ['victims reporting violence', 'alleged aggressors'],
        risksOfHarm: [{ right: 'Non-discrimination (Charter Art. 21)', risk: 'Lower priority for reports from rural areas.', likelihood: 'medium', severity: 'high' }],
        humanOversight: 'An officer reviews every score before a visit is scheduled.',
        measuresIfRisksMaterialise: 'Suspension by the unit head; complaints to the internal affairs office.',
        marketSurveillanceNotified: true,
      };
    case 'bias':
      return {
        evaluatedOn: '2025-05-15',
        dataset: { description: 'Reports of 2023, with outcomes known.', period: '2023', size: 12000 },
        sensitiveAttributes: [{ attribute: 'sex', howObtained: 'Recorded in the report' }],
        referenceGroup: 'men',
        groups: [
          { group: 'women', n: 8000, selectionRate: 0.31, fpr: 0.12, fprCI: [0.11, 0.13] },
          { group: 'men', n: 4000, selectionRate: 0.29, fpr: 0.1 },
        ],
        disparities: [{ group: 'women', metric: 'fpr', value: 1.2, tolerance: 1.25, status: 'pass' }],
        method: 'Ratio of rates to the reference group; tolerance 0.8–1.25.',
      };
    case 'gender_impact':
      return {
        assessedOn: '2025-05-20',
        relevance: 'relevant',
        rationale: 'Most reports concern violence against women.',
        sexDisaggregatedData: { available: true, description: 'Victim and aggressor sex in every report.' },
        analysis: 'Scores are calibrated equally for women and men victims.',
        expectedEffect: 'reduces',
        intersectionalFactors: ['rural residence', 'migration status'],
        proposals: ['Publish yearly figures by sex and region.'],
        oecdDacMarker: 1,
        markerCriteria: 'Gender equality is a significant objective of the deployment.',
      };
    case 'huderia':
      return {
        assessedOn: '2025-06-01',
        contextAnalysis: 'Deployment in a national police with limited staff in rural areas.',
        stakeholderEngagement: 'Workshops with victim support organisations.',
        impacts: [{ impact: 'Unequal protection between regions.', scale: 'high', scope: 'group', probability: 'possible', reversibility: 'difficult' }],
        mitigationPlan: 'Quarterly review of scores by region.',
        nextReview: '2026-06-01',
      };
    case 'dpia':
      return {
        framework: 'led_art_27',
        completedOn: '2025-04-01',
        reference: 'DPIA-2025-014',
        summary: 'High risk mitigated by access controls and retention limits.',
        dpoConsulted: true,
        supervisoryAuthorityConsulted: false,
      };
  }
}
