"""The register's canonical columns and the headings of other templates that map onto them."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_LIST_COLUMNS",
    "BOOL_COLUMNS",
    "CNIL_HEADINGS",
    "ICO_HEADINGS",
    "RECIPIENT_COLUMNS",
    "RECIPIENT_LIST_COLUMNS",
    "normalise_heading",
]

#: Canonical activities.csv columns, in the order they are written.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_id", "name", "business_function", "owner", "role", "controllers",
    "purposes", "purpose_description", "lawful_basis", "legitimate_interest", "lia_reference",
    "data_subjects", "data_categories", "special_categories", "art9_condition",
    "criminal_offence_data", "recipients", "transfer_countries", "transfer_safeguards",
    "retention", "retention_trigger", "security_measures", "source", "systems", "dpia",
    "automated_decision_making", "status", "last_reviewed",
)

#: Columns whose cells are lists (``;``-separated in CSV).
ACTIVITY_LIST_COLUMNS: frozenset[str] = frozenset({
    "controllers", "purposes", "lawful_basis", "data_subjects", "data_categories",
    "special_categories", "art9_condition", "recipients", "transfer_countries",
    "transfer_safeguards", "security_measures", "source", "systems",
})

BOOL_COLUMNS: frozenset[str] = frozenset({"criminal_offence_data", "automated_decision_making"})

RECIPIENT_COLUMNS: tuple[str, ...] = (
    "recipient_id", "name", "aliases", "kind", "category", "country",
    "transfer_safeguard", "contract_reference", "description",
)
RECIPIENT_LIST_COLUMNS: frozenset[str] = frozenset({"aliases"})


def normalise_heading(text: str) -> str:
    """Lower-case ASCII snake case: 'Catégories de données' -> 'categories_de_donnees'."""
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


#: Headings of the UK ICO's documentation template (controller and processor sheets).
ICO_HEADINGS: dict[str, str] = {
    "business_function": "business_function",
    "purpose_of_processing": "purpose_description",
    "purposes_of_processing": "purpose_description",
    "name_and_contact_details_of_joint_controller": "controllers",
    "name_and_contact_details_of_controller": "controllers",
    "categories_of_individuals": "data_subjects",
    "categories_of_personal_data": "data_categories",
    "categories_of_recipients": "recipients",
    "link_to_contract_with_processor": "contract_reference",
    "names_of_third_countries_or_international_organisations_that_personal_data_are_transferred_to": "transfer_countries",
    "safeguards_for_exceptional_transfers_of_personal_data_to_third_countries_or_international_organisations": "transfer_safeguards",
    "retention_schedule": "retention",
    "general_description_of_technical_and_organisational_security_measures": "security_measures",
    "article_6_lawful_basis_for_processing_personal_data": "lawful_basis",
    "article_9_basis_for_processing_special_category_personal_data": "art9_condition",
    "article_9_basis_for_processing_special_category_data": "art9_condition",
    "legitimate_interests_for_the_processing": "legitimate_interest",
    "link_to_record_of_legitimate_interests_assessment": "lia_reference",
    "existence_of_automated_decision_making_including_profiling": "automated_decision_making",
    "the_source_of_the_personal_data": "source",
    "source_of_the_personal_data": "source",
    "location_of_personal_data": "systems",
    "data_protection_impact_assessment_progress": "dpia",
    "categories_of_processing_carried_out_on_behalf_of_the_controller": "purpose_description",
}

#: Fields of the CNIL's register model ("fiche de registre").
CNIL_HEADINGS: dict[str, str] = {
    "nom_du_traitement": "name",
    "nom_sigle_du_traitement": "name",
    "n_ref": "activity_id",
    "ref": "activity_id",
    "reference": "activity_id",
    "numero_reference": "activity_id",
    "mise_a_jour": "last_reviewed",
    "derniere_mise_a_jour": "last_reviewed",
    "finalite_du_traitement_effectue": "purpose_description",
    "finalites_du_traitement": "purpose_description",
    "finalite_principale": "purpose_description",
    "categories_de_personnes_concernees": "data_subjects",
    "categories_de_donnees_collectees": "data_categories",
    "categories_de_donnees": "data_categories",
    "donnees_sensibles": "special_categories",
    "categories_de_destinataires": "recipients",
    "destinataires": "recipients",
    "transferts_des_donnees_hors_ue": "transfer_countries",
    "pays_destinataires": "transfer_countries",
    "garanties": "transfer_safeguards",
    "durees_de_conservation": "retention",
    "duree_de_conservation": "retention",
    "mesures_de_securite": "security_measures",
    "base_legale": "lawful_basis",
    "base_juridique": "lawful_basis",
    "responsable_conjoint": "controllers",
    "service_charge_de_la_mise_en_oeuvre": "business_function",
    "acteurs": "owner",
}

#: Short alternative spellings of canonical columns.
ALIASES: dict[str, str] = {
    "id": "activity_id",
    "activity": "name",
    "activity_name": "name",
    "purpose": "purposes",
    "lawful_bases": "lawful_basis",
    "legal_basis": "lawful_basis",
    "categories_of_data": "data_categories",
    "data_category": "data_categories",
    "data_subject": "data_subjects",
    "recipient": "recipients",
    "art9_conditions": "art9_condition",
    "retention_period": "retention",
    "security": "security_measures",
    "system": "systems",
    "controller": "controllers",
}
