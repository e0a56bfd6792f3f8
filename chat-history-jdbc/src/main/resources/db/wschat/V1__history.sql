-- wschat's history: every public event of every room, once per position (room, epoch, seq).
-- A room's epochs follow each other in time; first_time orders them (the earliest event kept of each).

CREATE TABLE wschat_epochs (
    room       VARCHAR(64) NOT NULL,
    epoch      VARCHAR(32) NOT NULL,
    first_time BIGINT      NOT NULL,
    PRIMARY KEY (room, epoch)
);

CREATE TABLE wschat_events (
    room    VARCHAR(64) NOT NULL,
    epoch   VARCHAR(32) NOT NULL,
    seq     BIGINT      NOT NULL,
    time_ms BIGINT      NOT NULL,
    kind    CHAR(1)     NOT NULL,
    a       VARCHAR     NOT NULL,
    b       VARCHAR     NOT NULL,
    c       VARCHAR     NOT NULL,
    author  VARCHAR(255) NOT NULL,
    PRIMARY KEY (room, epoch, seq)
);

-- Forgetting a person, and retention by age.
CREATE INDEX wschat_events_author ON wschat_events (author);
CREATE INDEX wschat_events_time ON wschat_events (time_ms);
