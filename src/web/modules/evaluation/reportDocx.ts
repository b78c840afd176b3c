import {
  AlignmentType, BorderStyle, Document, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType,
  type IParagraphOptions,
} from 'docx';
import type { ReportModel, ReportTable } from './report.js';

/**
 * The annual report as a Word document (.docx), for the office that edits it before it goes up:
 * A4, 宋体 text, 黑体 headings, a 小标宋-style title, the tables with header rows that repeat on
 * every page. It writes the same model the page draws (report.ts), in the browser: nothing of the
 * report leaves the user's machine to be made.
 */
const A4 = { width: 11906, height: 16838 }; // twips
const MARGIN = { top: 1440, bottom: 1440, left: 1304, right: 1304 };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEADING_FONT = { ascii: 'Arial', hAnsi: 'Arial', eastAsia: '黑体' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const GREY = '5B6472';
const LINE = { style: BorderStyle.SINGLE, size: 4, color: 'B8C2D0' };
const BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

const para = (text: string, o: IParagraphOptions & { bold?: boolean; size?: number; color?: string; font?: typeof BODY_FONT } = {}) => {
  const { bold, size, color, font, ...rest } = o;
  return new Paragraph({ ...rest, children: [new TextRun({ text, bold, size, color, font: font ?? BODY_FONT })] });
};

function table(t: ReportTable): Table {
  const cell = (text: string, i: number, head: boolean) => new TableCell({
    children: [para(text, { alignment: t.numeric[i] ? AlignmentType.RIGHT : AlignmentType.LEFT, bold: head, size: 18 })],
    shading: head ? { type: ShadingType.CLEAR, color: 'auto', fill: 'EEF2F7' } : undefined,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
  const row = (cells: string[], head = false) => new TableRow({ tableHeader: head, cantSplit: true, children: cells.map((c, i) => cell(c, i, head)) });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: [row(t.head, true), ...t.rows.map((r) => row(r)), ...(t.foot ? [row(t.foot, true)] : [])],
  });
}

export function reportDocument(model: ReportModel): Document {
  const children: (Paragraph | Table)[] = [
    para(model.title, { alignment: AlignmentType.CENTER, bold: true, size: 36, font: TITLE_FONT, spacing: { after: 160 } }),
    para(model.meta, { alignment: AlignmentType.CENTER, size: 20, color: GREY, spacing: { after: 360 } }),
  ];
  for (const s of model.sections) {
    children.push(para(s.title, { bold: true, size: 28, font: HEADING_FONT, keepNext: true, spacing: { before: 360, after: 160 } }));
    if (s.text) children.push(para(s.text, { size: 24, indent: { firstLineChars: 200 }, spacing: { after: 160, line: 400 } }));
    if (s.figures) {
      children.push(new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: BORDERS,
        rows: [new TableRow({
          cantSplit: true,
          children: s.figures.map((f) => new TableCell({
            margins: { top: 80, bottom: 80, left: 80, right: 80 },
            children: [
              para(f.value, { alignment: AlignmentType.CENTER, bold: true, size: 32, color: '1650A8' }),
              para(f.label, { alignment: AlignmentType.CENTER, size: 18, color: GREY }),
              ...(f.change ? [para(f.change, { alignment: AlignmentType.CENTER, size: 16, color: GREY })] : []),
            ],
          })),
        })],
      }));
      children.push(para('', { spacing: { after: 120 } }));
    }
    children.push(table(s.table));
  }
  children.push(para(model.note, { size: 18, color: GREY, spacing: { before: 360 } }));
  return new Document({
    creator: 'OneGrid',
    title: model.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 21 } } } },
    sections: [{ properties: { page: { size: A4, margin: MARGIN } }, children }],
  });
}

export function reportDocx(model: ReportModel): Promise<Blob> {
  return Packer.toBlob(reportDocument(model));
}
