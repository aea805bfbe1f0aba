-- Working-day calendar: official holidays and make-up working days (调休上班).
CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  kind text NOT NULL,              -- 'holiday' (day off on a weekday) or 'workday' (make-up working day on a weekend)
  name text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT 'package',  -- 'package' (chinese-days seed) or 'admin'
  CONSTRAINT calendar_days_kind_ck CHECK (kind IN ('holiday','workday'))
);
-- Years whose official arrangement is complete (seeded or confirmed by the admin).
CREATE TABLE calendar_years (
  year integer PRIMARY KEY,
  source text NOT NULL,
  confirmed_at timestamptz NOT NULL DEFAULT now()
);
