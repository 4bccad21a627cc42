import type { FiscalYear, Quarter } from "../../domain/calendar.ts";
import { knownCasesToFormValues } from "../../domain/html/form-page.ts";
import type { MailAttachment } from "../../domain/mail.ts";
import type { Institution, Plan } from "../../domain/plan.ts";
import { logger } from "../middleware.ts";
import type { Table } from "./table/index.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** What the workbook of one request is made for. */
export interface WorkbookRequest {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  deadline: Date;
}

/**
 * The quarter's answer workbook, prefilled with the institution's known cases, as the attachment of its request and
 * reminders: those go only to institutions that have not answered, so the known cases are what the form would show.
 */
export class AnswerWorkbooks {
  constructor(private readonly table: Pick<Table, "knownCases">) {}

  /**
   * The attachments for one request's mail: the workbook, or none if it could not be made. The mail's link is the
   * way to answer; a workbook that failed must not hold the mail back, so the failure is logged (the alarms count it)
   * and the mail goes without it.
   */
  async attachmentsFor(request: WorkbookRequest): Promise<MailAttachment[]> {
    try {
      // exceljs is loaded on first use, so a cold start that mails nothing does not pay for it.
      const { answerWorkbookFileName, buildAnswerWorkbook } = await import("../../domain/answer-file/build.ts");
      const known = await this.table.knownCases.listKnownCases(request.plan.id, request.institution.id);
      const content = await buildAnswerWorkbook({
        ...request,
        values: knownCasesToFormValues(known, request.fiscalYear),
      });
      return [{ fileName: answerWorkbookFileName(request), contentType: XLSX_TYPE, content }];
    } catch (error) {
      logger.error("answer workbook not attached", { error: error as Error, institutionId: request.institution.id });
      return [];
    }
  }
}
