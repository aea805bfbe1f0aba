-- 法定节假日顺延: a "day N of the next month" deadline that falls on a holiday or weekend moves to the next
-- working day (the calendar's holidays and make-up days). A year setting, on by default.
ALTER TABLE reporting_settings ADD COLUMN deadline_rolls_over boolean NOT NULL DEFAULT true;
