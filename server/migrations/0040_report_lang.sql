-- The language an analysis report was generated in (综合分析报告 in English when asked with Accept-Language: en).
-- Reports kept before it were all Chinese.
ALTER TABLE analysis_reports ADD COLUMN lang text NOT NULL DEFAULT 'zh';
ALTER TABLE analysis_reports ADD CONSTRAINT analysis_reports_lang_ck CHECK (lang IN ('zh', 'en'));
