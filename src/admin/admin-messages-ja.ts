// Back-office strings (Japanese). Kept apart from the storefront catalogs so the two evolve
// without edit collisions; admin-messages-en.ts must match this shape.
import type { AdminRole } from './admin-tables.ts';

export const adminMessagesJa = {
  title: '管理画面',
  skipToContent: '本文へ移動',
  nav: { label: '管理メニュー', dashboard: 'ダッシュボード', accounts: 'アカウント', status: 'システム状態', security: 'セキュリティ設定', logout: 'ログアウト', logoutEverywhere: 'すべての端末からログアウト' },
  roles: { owner: 'オーナー', staff: 'スタッフ', vendor: '委託ベンダー', auditor: '監査担当' } satisfies Record<AdminRole, string>,
  signedInAs: (email: string, role: string) => `${email}（${role}）としてログイン中`,
  login: {
    title: 'ログイン',
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'ログイン',
    invalid: 'メールアドレスまたはパスワードが正しくありません。',
    locked: '失敗が続いたため、このアカウントは一時的にロックされています。15分後に再度お試しください。',
    expired: 'セッションの有効期限が切れました。もう一度ログインしてください。',
    loggedOut: 'ログアウトしました。',
  },
  mfa: {
    verifyTitle: '二段階認証',
    verifyIntro: '認証アプリに表示されている6桁のコード、または回復コードを入力してください。',
    code: '確認コード',
    submit: '確認',
    invalid: 'コードが正しくありません。',
    enrolTitle: '二段階認証の設定',
    enrolIntro: '管理画面では二段階認証が必須です。認証アプリ（Google Authenticator、Microsoft Authenticator など）で QR コードを読み取ってください。',
    qrLabel: '認証アプリ用の QR コード',
    secretLabel: 'QR コードを読み取れない場合は、このキーを入力してください:',
    enrolCode: 'アプリに表示された6桁のコード',
    enrolSubmit: '設定を完了',
    recoveryTitle: '回復コード',
    recoveryIntro: '認証アプリを使えなくなったときのための回復コードです。各コードは1回だけ使えます。安全な場所に保管してください。この画面は二度と表示されません。',
    continue: 'ダッシュボードへ進む',
  },
  setup: {
    title: '最初のオーナーアカウントを作成',
    intro: 'このリンクは1回だけ、30分間有効です。パスワードは12文字以上で、よく使われるパスワードは使えません。',
    passwordConfirm: 'パスワード（確認）',
    submit: 'アカウントを作成',
    invalidLink: 'このセットアップリンクは無効か期限切れです。ショップを再起動すると新しいリンクが表示されます。',
    done: 'オーナーアカウントを作成しました。ログインして二段階認証を設定してください。',
    mismatch: '確認用のパスワードが一致しません。',
  },
  password: {
    PASSWORD_TOO_SHORT: 'パスワードは12文字以上にしてください。',
    PASSWORD_TOO_LONG: 'パスワードが長すぎます。',
    PASSWORD_COMMON: 'このパスワードはよく使われている、または流出したパスワードに似ているため使えません。',
    EMAIL_TAKEN: 'このメールアドレスは既に使われています。',
  },
  dashboard: { title: 'ダッシュボード', intro: '権限に応じたメニューを表示しています。', sessions: 'アクティブなセッション' },
  accounts: {
    title: 'アカウント',
    email: 'メールアドレス', role: '役割', mfa: '二段階認証', status: '状態', refundLimit: '返金上限（円）', accessExpires: 'アクセス期限（UTC）',
    enrolled: '設定済み', notEnrolled: '未設定', active: '有効', disabled: '無効',
    create: 'アカウントを追加', createSubmit: '追加', initialPassword: '初期パスワード',
    update: '更新', disable: '無効にする', enable: '有効にする',
    created: 'アカウントを追加しました。', updated: 'アカウントを更新しました。',
    cannotChangeSelf: '自分自身の役割や状態は変更できません。',
    invalid: '入力内容を確認してください。',
  },
  status: { title: 'システム状態', database: 'データベース', node: 'Node.js', uptime: '稼働時間（秒）' },
  security: { title: 'セキュリティ設定', ipAllowList: '管理画面の IP 許可リスト', ipAllowListOff: '未設定（すべての IP から接続可能）', sessionPolicy: 'セッション: 無操作15分、最長12時間で失効', lockPolicy: 'ログイン: 6回連続で失敗すると15分間ロック', mfaPolicy: '二段階認証: 全アカウントで必須' },
  errors: { forbidden: 'このページを表示する権限がありません。', ipRefused: 'この IP アドレスからは管理画面にアクセスできません。', notFound: 'ページが見つかりません。', csrf: 'フォームの有効期限が切れました。ページを再読み込みしてもう一度お試しください。', badRequest: '入力内容を確認してください。' },
};

export type AdminMessages = typeof adminMessagesJa;
