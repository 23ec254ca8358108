import { z } from 'zod';
import type { AiSummary } from './summary';

export const templateNames = ['standard', 'executive_summary', 'detailed_analysis', 'custom'] as const;
export type TemplateName = (typeof templateNames)[number];

export const summarySections = ['overview', 'key_fields', 'financials', 'risks', 'recommendations'] as const;
export type SummarySection = (typeof summarySections)[number];

/** What a `custom` template may set; everything else is refused rather than ignored. */
export const templateCustomizationSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    sections: z.array(z.enum(summarySections)).min(1).max(summarySections.length).optional(),
    include_data: z.boolean().optional(),
    include_changes: z.boolean().optional(),
    max_key_fields: z.number().int().min(1).max(60).optional(),
  })
  .strict();
export type TemplateCustomization = z.infer<typeof templateCustomizationSchema>;

/** How a deliverable is laid out: which summary sections, and whether the data and changes are included. */
export interface Layout {
  title: string;
  sections: SummarySection[];
  include_data: boolean;
  include_changes: boolean;
  max_key_fields: number;
}

const layouts: Record<Exclude<TemplateName, 'custom'>, Omit<Layout, 'title'>> = {
  standard: {
    sections: [...summarySections],
    include_data: true,
    include_changes: false,
    max_key_fields: 60,
  },
  executive_summary: {
    sections: ['overview', 'financials', 'recommendations'],
    include_data: false,
    include_changes: false,
    max_key_fields: 8,
  },
  detailed_analysis: {
    sections: [...summarySections],
    include_data: true,
    include_changes: true,
    max_key_fields: 60,
  },
};

const titles: Record<TemplateName, string> = {
  standard: 'Document export',
  executive_summary: 'Executive summary',
  detailed_analysis: 'Detailed analysis',
  custom: 'Document export',
};

export function layoutFor(
  template: TemplateName,
  customization: TemplateCustomization | undefined,
  fileName: string,
): Layout {
  const base = template === 'custom' ? layouts.standard : layouts[template];
  const custom = template === 'custom' ? (customization ?? {}) : {};
  return {
    title: custom.title ?? `${titles[template]}: ${fileName}`,
    sections: custom.sections ?? base.sections,
    include_data: custom.include_data ?? base.include_data,
    include_changes: custom.include_changes ?? base.include_changes,
    max_key_fields: custom.max_key_fields ?? base.max_key_fields,
  };
}

/** The summary cut to the layout: sections left out are emptied, key fields capped. */
export function shapeSummary(summary: AiSummary, layout: Layout): AiSummary {
  const keep = (section: SummarySection) => layout.sections.includes(section);
  return {
    overview: keep('overview') ? summary.overview : '',
    key_fields: keep('key_fields') ? summary.key_fields.slice(0, layout.max_key_fields) : [],
    financials: keep('financials') ? summary.financials : [],
    risks: keep('risks') ? summary.risks : [],
    recommendations: keep('recommendations') ? summary.recommendations : [],
  };
}
