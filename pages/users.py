"""Users page for admins: add or invite users, change roles, the organisation's sign-up and sharing policy."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.storage.permissions import Permission, Role
from pages._auth import signed_in
from pages._resources import storage

actor = signed_in(Permission.MANAGE_USERS)
accounts = storage().accounts
organisation = accounts.organisation(actor)
ROLES = [role.value for role in Role]

st.title("Users")
st.caption(f"Organisation: {organisation.name}")

self_signup = st.toggle("Candidates may sign up by themselves", value=organisation.self_signup)
if self_signup != organisation.self_signup:
    accounts.set_self_signup(actor, self_signup)
    st.rerun()
share = st.toggle(
    "New answers start shared with reviewers (each candidate can unshare any attempt in History)",
    value=organisation.share_by_default,
)
if share != organisation.share_by_default:
    accounts.set_share_by_default(actor, share)
    st.rerun()
# Hiring review (issue 14): how reviewers score, and whether candidates see what they wrote.
review_policy = storage().reviews.policy(actor)
blind = st.toggle(
    "Blind review: reviewers see the coach's levels only after entering their own",
    value=review_policy.blind,
    key="policy_blind",
)
see = st.toggle(
    "Candidates see reviewers' scores and comments on their own answers",
    value=review_policy.candidates_see_reviews,
    key="policy_candidates_see_reviews",
)
if (blind, see) != (review_policy.blind, review_policy.candidates_see_reviews):
    storage().reviews.set_policy(actor, blind=blind, candidates_see_reviews=see)
    st.rerun()

st.subheader("Add a user")
# Outside the form, so that choosing the invitation code hides the password field at once.
how = st.radio("How", ["Invitation code", "Password"], horizontal=True, key="add_how")
with st.form("add_user"):  # not cleared: a refused entry keeps what was typed
    email = st.text_input("Email", key="add_email")
    email_error = st.empty()
    name = st.text_input("Name (optional)", key="add_name")
    role = st.selectbox("Role", ROLES, key="add_role")
    password = st.text_input("Password", type="password", key="add_password") if how == "Password" else ""
    password_error = st.empty()
    add = st.form_submit_button("Add the user")
if add:
    try:
        if how == "Invitation code":
            invitation = accounts.invite_user(actor, email, role, display_name=name)
            st.success(
                f"Invited {invitation.email}. Give them this code (shown once), valid until "
                f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC:"
            )
            st.code(invitation.code, language=None)
        else:
            member = accounts.create_user(actor, email, role, password, display_name=name)
            st.success(f"Created {member.email} ({member.role}).")
    except CoachError as exc:
        # Beside the field it is about: the password's rules, else the email (the one other field checked).
        (password_error if "password" in str(exc) else email_error).error(str(exc))

st.subheader("Members")
members = accounts.list_members(actor)
st.dataframe(
    [
        {
            "email": m.email,
            "name": m.display_name,
            "role": m.role.value,
            "status": "invited" if m.invited else ("active" if m.active else "disabled"),
            "last sign-in": f"{m.last_sign_in_at:%Y-%m-%d %H:%M}" if m.last_sign_in_at else "",
        }
        for m in members
    ],
    hide_index=True,
)
with st.form("change_role"):
    member = st.selectbox("Member", members, format_func=lambda m: f"{m.email} ({m.role.value})")
    new_role = st.selectbox("New role", ROLES, key="new_role")
    change = st.form_submit_button("Change the role")
if change and member is not None:
    try:
        accounts.set_role(actor, member.id, new_role)
    except CoachError as exc:
        st.error(str(exc))
    else:
        st.rerun()

st.subheader("Deactivate, reactivate, re-invite")
with st.form("member_status"):
    # Chosen by id: a member's status (in the label) changes with these buttons, the id does not.
    by_id = {m.id: m for m in members}
    chosen_id = st.selectbox(
        "Member",
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i].email} ({'invited' if by_id[i].invited else 'active' if by_id[i].active else 'deactivated'})"
        ),
        key="status_member",
    )
    chosen = by_id.get(chosen_id) if chosen_id is not None else None
    act, back, again = st.columns(3)
    deactivate = act.form_submit_button("Deactivate")
    reactivate = back.form_submit_button("Reactivate")
    reinvite = again.form_submit_button("Re-invite (a new code)")
if chosen is not None and (deactivate or reactivate or reinvite):
    try:
        if reinvite:
            fresh = accounts.reinvite(actor, chosen.id)
            st.success(
                f"New code for {fresh.email} (shown once; the old one no longer works), valid until "
                f"{fresh.expires_at:%Y-%m-%d %H:%M} UTC:"
            )
            st.code(fresh.code, language=None)
        else:
            accounts.set_active(actor, chosen.id, reactivate)
            st.success(
                f"{chosen.email} is {'active again' if reactivate else 'deactivated: signed out everywhere'}."
            )
    except CoachError as exc:
        st.error(str(exc))
