"""SQLAlchemy models of the campus knowledge base (2.0-style declarations on SQLAlchemy 1.4).

Every fact-bearing row has a `checked_on` date (the oldest check date of its sources) and its
sources in `record_source`. `term` holds every name a user may type for a sector, diploma
kind, campus, establishment, place or job, already normalised for matching.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declarative_base

Base = declarative_base()


class Source(Base):
    __tablename__ = "source"
    key: Mapped[str] = Column(String(80), primary_key=True)
    url: Mapped[str] = Column(Text, nullable=False)
    title: Mapped[str] = Column(Text, nullable=False)
    publisher: Mapped[str] = Column(Text, nullable=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)
    checked_against: Mapped[str] = Column(String(10), nullable=False)


class RecordSource(Base):
    """Which sources back a record: (record type, record id) -> source, in the record's order
    (the first is the main one)."""

    __tablename__ = "record_source"
    record_type: Mapped[str] = Column(String(30), primary_key=True)
    record_id: Mapped[str] = Column(String(120), primary_key=True)
    source_key: Mapped[str] = Column(ForeignKey("source.key"), primary_key=True)
    rank: Mapped[int] = Column(Integer, nullable=False, default=0)


class Academy(Base):
    __tablename__ = "academy"
    key: Mapped[str] = Column(String(40), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Department(Base):
    __tablename__ = "department"
    code: Mapped[str] = Column(String(3), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    academy_key: Mapped[str] = Column(ForeignKey("academy.key"), nullable=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class NationalSector(Base):
    __tablename__ = "national_sector"
    key: Mapped[str] = Column(String(60), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Sector(Base):
    __tablename__ = "sector"
    key: Mapped[str] = Column(String(60), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    national_sector_key: Mapped[str] = Column(ForeignKey("national_sector.key"), nullable=False)
    national_sector_unsure: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Level(Base):
    __tablename__ = "level"
    number: Mapped[int] = Column(Integer, primary_key=True)
    old_name: Mapped[str] = Column(String(5), nullable=False)
    summary: Mapped[str] = Column(Text, nullable=False)
    bac_plus: Mapped[int | None] = Column(Integer)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class DiplomaKind(Base):
    __tablename__ = "diploma_kind"
    key: Mapped[str] = Column(String(30), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    full_name: Mapped[str] = Column(Text, nullable=False)
    level: Mapped[int | None] = Column(ForeignKey("level.number"))
    note: Mapped[str | None] = Column(Text)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Campus(Base):
    __tablename__ = "campus"
    key: Mapped[str] = Column(String(60), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    short_name: Mapped[str] = Column(Text, nullable=False)
    status: Mapped[str] = Column(String(20), nullable=False)
    commune: Mapped[str | None] = Column(Text)
    commune_key: Mapped[str | None] = Column(Text)
    department_code: Mapped[str | None] = Column(ForeignKey("department.code"))
    labelled_on: Mapped[str | None] = Column(String(10))
    description: Mapped[str] = Column(Text, nullable=False)
    website: Mapped[str | None] = Column(Text)
    level_min: Mapped[int | None] = Column(Integer)
    level_max: Mapped[int | None] = Column(Integer)
    level_note: Mapped[str | None] = Column(Text)
    note: Mapped[str | None] = Column(Text)
    unsure_fields: Mapped[str] = Column(Text, nullable=False, default="")
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class CampusAcademy(Base):
    __tablename__ = "campus_academy"
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), primary_key=True)
    academy_key: Mapped[str] = Column(ForeignKey("academy.key"), primary_key=True)


class CampusSector(Base):
    __tablename__ = "campus_sector"
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), primary_key=True)
    sector_key: Mapped[str] = Column(ForeignKey("sector.key"), primary_key=True)
    rank: Mapped[int] = Column(Integer, nullable=False)


class CampusStream(Base):
    """A training stream (filière) a campus names."""

    __tablename__ = "campus_stream"
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), primary_key=True)
    rank: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)


class CampusRelation(Base):
    __tablename__ = "campus_relation"
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), primary_key=True)
    related_key: Mapped[str] = Column(ForeignKey("campus.key"), primary_key=True)
    relation: Mapped[str] = Column(Text, nullable=False)
    unsure: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Milestone(Base):
    __tablename__ = "milestone"
    id: Mapped[int] = Column(Integer, primary_key=True)
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), nullable=False, index=True)
    date: Mapped[str | None] = Column(String(10))
    text: Mapped[str] = Column(Text, nullable=False)
    unsure: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Establishment(Base):
    __tablename__ = "establishment"
    key: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    type: Mapped[str] = Column(String(20), nullable=False)
    commune: Mapped[str | None] = Column(Text)
    commune_key: Mapped[str | None] = Column(Text)
    department_code: Mapped[str | None] = Column(ForeignKey("department.code"))
    uai: Mapped[str | None] = Column(String(8))
    address: Mapped[str | None] = Column(Text)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Membership(Base):
    __tablename__ = "membership"
    id: Mapped[int] = Column(Integer, primary_key=True)
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), nullable=False, index=True)
    establishment_key: Mapped[str] = Column(ForeignKey("establishment.key"), nullable=False, index=True)
    role: Mapped[str] = Column(String(20), nullable=False)
    note: Mapped[str | None] = Column(Text)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Training(Base):
    """A training a member establishment of a campus offers: a diploma kind and its specialty.

    `modes` lists how it is taught where a source says so ("scolaire,apprentissage"), else ""."""

    __tablename__ = "training"
    id: Mapped[int] = Column(Integer, primary_key=True)
    campus_key: Mapped[str] = Column(ForeignKey("campus.key"), nullable=False, index=True)
    kind_key: Mapped[str] = Column(ForeignKey("diploma_kind.key"), nullable=False)
    specialty: Mapped[str] = Column(Text, nullable=False)
    title: Mapped[str] = Column(Text, nullable=False)
    level: Mapped[int | None] = Column(ForeignKey("level.number"))
    sector_key: Mapped[str] = Column(ForeignKey("sector.key"), nullable=False)
    establishment_key: Mapped[str] = Column(ForeignKey("establishment.key"), nullable=False, index=True)
    modes: Mapped[str] = Column(Text, nullable=False, default="")
    jobs: Mapped[str] = Column(Text, nullable=False, default="")
    unsure: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = Column(Text)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Fact(Base):
    __tablename__ = "fact"
    key: Mapped[str] = Column(String(40), primary_key=True)
    question: Mapped[str] = Column(Text, nullable=False)
    answer: Mapped[str] = Column(Text, nullable=False)
    link: Mapped[str | None] = Column(Text)
    rank: Mapped[int] = Column(Integer, nullable=False)  # file order: the first fact named wins
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class NotCmq(Base):
    """Something often taken for a campus des métiers et des qualifications that is not one."""

    __tablename__ = "not_cmq"
    key: Mapped[str] = Column(String(60), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    commune: Mapped[str | None] = Column(Text)
    department_code: Mapped[str | None] = Column(ForeignKey("department.code"))
    sector_key: Mapped[str | None] = Column(ForeignKey("sector.key"))
    what: Mapped[str] = Column(Text, nullable=False)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class Town(Base):
    """A commune of Île-de-France (Code officiel géographique): where a user may live."""

    __tablename__ = "town"
    code: Mapped[str] = Column(String(5), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    department_code: Mapped[str] = Column(ForeignKey("department.code"), nullable=False)
    latitude: Mapped[float | None] = Column(Float)  # GeoNames' place of that name, when known
    longitude: Mapped[float | None] = Column(Float)
    checked_on: Mapped[dt.date] = Column(Date, nullable=False)


class JobField(Base):
    """A field of jobs (« chauffeur routier », « comptable ») that no finer sector of the data
    covers: its national sector, and the sectors of the data nearest to it."""

    __tablename__ = "job_field"
    national_sector_key: Mapped[str] = Column(ForeignKey("national_sector.key"), primary_key=True)
    nearest: Mapped[str] = Column(Text, nullable=False)  # sector keys, comma-separated


class Term(Base):
    """A name users may type for an entity, with its normalised matching form."""

    __tablename__ = "term"
    id: Mapped[int] = Column(Integer, primary_key=True)
    entity_type: Mapped[str] = Column(String(20), nullable=False, index=True)
    entity_key: Mapped[str] = Column(String(80), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    match_key: Mapped[str] = Column(Text, nullable=False, index=True)
    kind: Mapped[str] = Column(String(20), nullable=False)


class FrenchWord(Base):
    """A French word in matching form (knowledge.french_words), never read as a typo of a term."""

    __tablename__ = "french_word"
    word: Mapped[str] = Column(String(80), primary_key=True)


class BuildInfo(Base):
    __tablename__ = "build_info"
    name: Mapped[str] = Column(String(40), primary_key=True)
    value: Mapped[str] = Column(Text, nullable=False)
