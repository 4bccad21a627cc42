import { describe, expect, it } from "vitest";
import { jstInstant } from "../../domain/calendar.ts";
import { draftReadyMail, requestMail, roundSummaryMail, roundsOpenMail } from "../../domain/mail.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();
const [hro] = plan.institutions;
if (!hro) throw new Error("fixture");

describe("the request mail", () => {
  const mail = requestMail({
    plan,
    institution: hro,
    fiscalYear: 2019,
    quarter: 1,
    deadline: jstInstant(2019, 7, 15, 17),
    formUrl: "https://forms.example.jp/forms/TOKEN",
  });

  it("goes to every contact of the institution, replies to the secretariat, and says what and by when", () => {
    expect(mail.to).toEqual(hro.contacts.map((contact) => contact.email));
    expect(mail.replyTo).toEqual(plan.secretariat.contacts.map((contact) => contact.email));
    expect(mail.subject).toBe(
      `【${plan.name}】2019年度（令和元年度） 第1四半期（4月〜6月）の実施状況のご報告のお願い（令和元年7月15日（月）17時00分まで）`,
    );
    expect(mail.text).toContain(`${hro.contacts[0]?.name} 様`);
    expect(mail.text).toContain("■ 回答期限：令和元年7月15日（月）17時00分");
  });

  it("carries the personal link on a line of its own, so a mail reader can follow it", () => {
    expect(mail.text.split("\n")).toContain("https://forms.example.jp/forms/TOKEN");
  });
});

describe("the secretariat's mails", () => {
  it("sums up a closed round with its rates and every institution that did not answer, by name", () => {
    const mail = roundSummaryMail({
      plan,
      fiscalYear: 2019,
      quarter: 2,
      completeness: {
        expected: 5,
        answered: 4,
        onTime: 3,
        late: 1,
        missing: ["dogin"],
        nothingToReport: ["hokuyo"],
        answeredRate: 0.8,
        onTimeRate: 0.6,
      },
    });
    expect(mail.to).toEqual(plan.secretariat.contacts.map((contact) => contact.email));
    expect(mail.subject).toContain("照会を締め切りました（回答率 80.0%）");
    expect(mail.text).toContain("■ 回答：4 / 5 機関（80.0%）");
    expect(mail.text).toContain("■ 期限内の回答：3 / 5 機関（60.0%）");
    expect(mail.text).toContain("  ・株式会社北海道銀行");
    // 報告事項なし is an answer, told apart from a missing one.
    expect(mail.text).toContain("■ 報告事項なしの回答：1 機関（株式会社北洋銀行）");
  });

  it("names each round still open or never run, and how to review anyway", () => {
    const mail = roundsOpenMail({
      plan,
      fiscalYear: 2020,
      notClosed: [
        { quarter: 3, status: "open" },
        { quarter: 4, status: "not-started" },
      ],
    });
    expect(mail.text).toContain("第3四半期（10月〜12月）：受付中（まだ締め切られていません）");
    expect(mail.text).toContain("第4四半期（1月〜3月）：未実施");
    expect(mail.text).toContain(`pdca draft --plan ${plan.id} --fiscal-year 2020 --proceed-anyway`);
  });

  it("links the new draft, with its version and how long the link works", () => {
    const mail = draftReadyMail({
      plan,
      fiscalYear: 2020,
      version: 2,
      url: "https://forms.example.jp/reports/T/index.html",
      expiresAt: jstInstant(2021, 5, 31),
      findings: 4,
      consoleUrl: "https://forms.example.jp/console/plans/p/years/2020",
    });
    expect(mail.subject).toContain("報告書（案）第2版ができました");
    // Findings are added in the console, not with a command line or a file.
    expect(mail.text.split("\n")).toContain("https://forms.example.jp/console/plans/p/years/2020");
    expect(mail.text).not.toMatch(/pdca draft|所見ファイル/);
    expect(mail.text.split("\n")).toContain("https://forms.example.jp/reports/T/index.html");
    expect(mail.text).toContain("令和3年5月31日（月）まで有効");
    expect(mail.text).toContain("自動で抽出した所見は4件です");
  });
});
