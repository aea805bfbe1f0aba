-- Supervision (督查督办), part two: the issued documents of 情况综合与反馈 (督查专报 to leaders, 督查通报 to
-- units; numbered per kind and year without gaps, kept with their .docx bytes and the units they name),
-- and the NPC/CPPCC proposals (议案提案办理) with their handling units, reply rounds and the deputies'
-- satisfaction (an unsatisfied rating sends the proposal back for another round; every round is kept).
CREATE TABLE supervision_doc_counters (
  kind text NOT NULL,
  year integer NOT NULL,
  last integer NOT NULL,
  CONSTRAINT supervision_doc_counters_pk PRIMARY KEY (kind, year)
);

CREATE TABLE supervision_documents (
  id serial PRIMARY KEY,
  kind text NOT NULL,
  year integer NOT NULL,
  seq integer NOT NULL,
  number text NOT NULL,
  title text NOT NULL,
  content jsonb NOT NULL,
  task_ids jsonb NOT NULL DEFAULT '[]',
  docx bytea NOT NULL,
  docx_sha256 text NOT NULL,
  issued_by integer REFERENCES users(id),
  issued_by_name text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_documents_kind_ck CHECK (kind IN ('report', 'bulletin')),
  CONSTRAINT supervision_documents_seq_uq UNIQUE (kind, year, seq)
);

-- The units a document names (its per-unit sections): a 通报 is visible to these units only.
CREATE TABLE supervision_document_units (
  document_id integer NOT NULL REFERENCES supervision_documents(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  CONSTRAINT supervision_document_units_pk PRIMARY KEY (document_id, unit_id)
);
CREATE INDEX supervision_document_units_unit_idx ON supervision_document_units(unit_id);

CREATE TABLE supervision_proposals (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  kind text NOT NULL,
  number text NOT NULL,
  title text NOT NULL,
  content text NOT NULL DEFAULT '',
  deputy_id integer NOT NULL REFERENCES users(id),
  lead_unit_id integer NOT NULL REFERENCES units(id),
  deadline date NOT NULL,
  status text NOT NULL,
  round integer NOT NULL DEFAULT 1,
  satisfaction text,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_proposals_kind_ck CHECK (kind IN ('npc_motion', 'cppcc_proposal')),
  CONSTRAINT supervision_proposals_status_ck CHECK (status IN ('assigned', 'replied', 'closed')),
  CONSTRAINT supervision_proposals_satisfaction_ck CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied', 'basically', 'unsatisfied')),
  CONSTRAINT supervision_proposals_number_uq UNIQUE (year, kind, number)
);
CREATE INDEX supervision_proposals_unit_idx ON supervision_proposals(lead_unit_id, year);
CREATE INDEX supervision_proposals_deputy_idx ON supervision_proposals(deputy_id);

CREATE TABLE supervision_proposal_co_units (
  proposal_id integer NOT NULL REFERENCES supervision_proposals(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  CONSTRAINT supervision_proposal_co_units_pk PRIMARY KEY (proposal_id, unit_id)
);
CREATE INDEX supervision_proposal_co_units_unit_idx ON supervision_proposal_co_units(unit_id);

-- One row per handling round: its deadline, the unit's formal reply and the deputy's rating.
CREATE TABLE supervision_proposal_rounds (
  proposal_id integer NOT NULL REFERENCES supervision_proposals(id) ON DELETE CASCADE,
  round integer NOT NULL,
  deadline date NOT NULL,
  unit_id integer NOT NULL REFERENCES units(id),
  reply text,
  file_ids jsonb NOT NULL DEFAULT '[]',
  replied_by integer REFERENCES users(id),
  replied_by_name text,
  replied_on date,
  satisfaction text,
  rating_note text NOT NULL DEFAULT '',
  rated_on date,
  CONSTRAINT supervision_proposal_rounds_pk PRIMARY KEY (proposal_id, round),
  CONSTRAINT supervision_proposal_rounds_satisfaction_ck CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied', 'basically', 'unsatisfied'))
);

CREATE TABLE supervision_proposal_files (
  id serial PRIMARY KEY,
  proposal_id integer NOT NULL REFERENCES supervision_proposals(id),
  sha256 text NOT NULL,
  name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  uploaded_by integer REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_proposal_files_proposal_idx ON supervision_proposal_files(proposal_id);

-- Investment projects (招商引资督办): stages 签约 → 注册 → 开工 → 投产, each planned and done with its date.
CREATE TABLE supervision_investments (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  name text NOT NULL,
  investor text NOT NULL DEFAULT '',
  industry text NOT NULL DEFAULT '',
  contract_amount numeric(14, 2) NOT NULL,
  paid_in_amount numeric(14, 2) NOT NULL DEFAULT 0,
  unit_id integer NOT NULL REFERENCES units(id),
  leader_id integer REFERENCES users(id),
  stage text,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_investments_stage_ck CHECK (stage IS NULL OR stage IN ('signed', 'registered', 'started', 'producing')),
  CONSTRAINT supervision_investments_amount_ck CHECK (contract_amount >= 0 AND paid_in_amount >= 0)
);
CREATE INDEX supervision_investments_unit_idx ON supervision_investments(unit_id, year);

CREATE TABLE supervision_investment_stages (
  project_id integer NOT NULL REFERENCES supervision_investments(id) ON DELETE CASCADE,
  stage text NOT NULL,
  planned_on date NOT NULL,
  done_on date,
  note text NOT NULL DEFAULT '',
  recorded_by integer REFERENCES users(id),
  CONSTRAINT supervision_investment_stages_pk PRIMARY KEY (project_id, stage),
  CONSTRAINT supervision_investment_stages_stage_ck CHECK (stage IN ('signed', 'registered', 'started', 'producing'))
);
